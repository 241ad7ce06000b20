import { DomainError } from '../../domain/errors.js';
import type { ClientCredentials } from '../../domain/clients/authenticate-client.js';
import { single, type FormParameters } from '../../domain/oauth/form-parameters.js';

const BASIC = /^basic +([A-Za-z0-9+/=_-]+) *$/i;
const MAX_CREDENTIAL = 512;
// Form encoding can triple a character (`%XX`): the longest acceptable id:secret, base64-encoded.
const MAX_ENCODED = Math.ceil(((MAX_CREDENTIAL * 3 * 2 + 1) * 4) / 3) + 4;
const SCRATCH = Buffer.alloc(Math.ceil((MAX_ENCODED * 3) / 4));

function formDecode(part: string): string | null {
  if (!part.includes('%') && !part.includes('+')) return part;
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

function invalid(message: string): DomainError {
  return new DomainError('bad_credentials', message);
}

/** RFC 7617 Basic credentials, each half form-encoded as RFC 6749 §2.3.1 asks; throws `bad_credentials`. */
export function basicCredentials(authorization: string): ClientCredentials {
  const match = BASIC.exec(authorization);
  if (!match?.[1]) throw invalid('the Authorization header must be "Basic base64(client_id:client_secret)"');
  const encoded = match[1];
  // Decoded into one reused buffer rather than a new one per request; anything longer than two maximal
  // form-encoded halves and the colon cannot be valid.
  if (encoded.length > MAX_ENCODED) throw invalid('the Basic credentials must be form-encoded client_id:client_secret');
  const decoded = SCRATCH.toString('utf8', 0, SCRATCH.write(encoded, 'base64'));
  const colon = decoded.indexOf(':');
  const clientId = colon === -1 ? null : formDecode(decoded.slice(0, colon));
  const clientSecret = colon === -1 ? null : formDecode(decoded.slice(colon + 1));
  if (!clientId || clientSecret === null || clientId.length > MAX_CREDENTIAL || clientSecret.length > MAX_CREDENTIAL) {
    throw invalid('the Basic credentials must be form-encoded client_id:client_secret');
  }
  return { clientId, clientSecret };
}

/**
 * RFC 6749 §2.3.1: client_secret_basic (id and secret form-encoded, then Basic) or client_secret_post;
 * exactly one of them.
 */
export function clientCredentials(authorization: string | undefined, params: FormParameters): ClientCredentials {
  const postId = single(params, 'client_id');
  const postSecret = single(params, 'client_secret');
  if (authorization !== undefined) {
    const { clientId, clientSecret } = basicCredentials(authorization);
    if (postSecret !== undefined) {
      throw new DomainError('bad_request', 'the client authenticated twice (Authorization header and client_secret): use one method');
    }
    if (postId !== undefined && postId !== clientId) {
      throw new DomainError('bad_request', 'client_id in the body differs from the one in the Authorization header');
    }
    return { clientId, clientSecret };
  }
  if (postId === undefined || postSecret === undefined) {
    throw invalid('client authentication is required: HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post)');
  }
  if (postId.length > MAX_CREDENTIAL || postSecret.length > MAX_CREDENTIAL) throw invalid('client authentication failed');
  return { clientId: postId, clientSecret: postSecret };
}

/**
 * The credentials a token request presents, for a grant that requires client authentication (missing
 * ones are `bad_credentials`) or allows a public client: then a request with neither an Authorization
 * header nor a `client_id` presents none (null).
 */
export function presentedCredentials(authorization: string | undefined, params: FormParameters, authentication: 'required' | 'optional'): ClientCredentials | null {
  if (authentication === 'optional' && authorization === undefined && params.client_id === undefined) return null;
  return clientCredentials(authorization, params);
}

/**
 * The client id a request presented, for the log of a failed authentication: from the Basic header when
 * it decodes, else from the body. Never the secret; `undefined` when nothing readable was presented.
 */
export function presentedClientId(authorization: string | undefined, params: FormParameters): string | undefined {
  if (authorization !== undefined) {
    try {
      return basicCredentials(authorization).clientId;
    } catch {
      return undefined;
    }
  }
  return single(params, 'client_id')?.slice(0, MAX_CREDENTIAL);
}
