import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.js';
import { noStore } from './no-store.js';

/** RFC 6749 §5.2 error codes, with RFC 8707 `invalid_target` and RFC 6750's `temporarily_unavailable`. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable';

/** Each domain error as an HTTP status and an RFC 6749 error code; the token-api dialect starts from it. */
export const OAUTH_ERRORS: Readonly<Record<ErrorCode, readonly [number, OAuthErrorCode]>> = {
  bad_request: [400, 'invalid_request'],
  bad_credentials: [401, 'invalid_client'],
  unsupported_grant: [400, 'unsupported_grant_type'],
  grant_not_allowed: [400, 'unauthorized_client'],
  scope_not_allowed: [400, 'invalid_scope'],
  bad_grant: [400, 'invalid_grant'],
  resource_not_allowed: [400, 'invalid_target'],
  not_found: [400, 'invalid_request'],
  conflict: [400, 'invalid_request'],
  forbidden: [403, 'access_denied'],
  payload_too_large: [413, 'invalid_request'],
  unsupported_media_type: [415, 'invalid_request'],
  rate_limited: [429, 'invalid_request'],
  unavailable: [503, 'temporarily_unavailable'],
};

interface OAuthErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description: string;
}

/** Fastify's own failures before a handler runs (an unknown route, body parsing, limits) as the same kind of error. */
function frameworkError(error: { statusCode?: number; code?: string; message?: string }): [number, string] | null {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  if (status === 404) return [404, error.message ?? 'no such endpoint'];
  if (status === 413) return [413, 'the request body is too large'];
  if (status === 415) return [415, 'send the parameters as application/x-www-form-urlencoded'];
  return [status, `the request could not be read: ${error.message ?? 'malformed'}`];
}

/** The one serializer of OAuth errors: anything unexpected becomes a bare `server_error`, logged with its request id. */
export function sendOAuthError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status: number;
  let body: OAuthErrorBody;
  if (isDomainError(error)) {
    const [s, code] = OAUTH_ERRORS[error.code];
    status = s;
    body = { error: code, error_description: error.message };
  } else {
    const known = frameworkError(error as { statusCode?: number });
    if (known) {
      status = known[0];
      body = { error: 'invalid_request', error_description: known[1] };
    } else {
      request.log.error({ err: error }, 'unexpected error on an OAuth endpoint');
      status = 500;
      body = { error: 'server_error', error_description: `an unexpected error occurred; quote request id ${request.id} to the operator` };
    }
  }
  // RFC 6749 §5.2: a failed client authentication is a 401 with a challenge for the scheme in use.
  if (status === 401) reply.header('www-authenticate', 'Basic realm="latchkey", charset="UTF-8"');
  if (isDomainError(error) && error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return noStore(reply.code(status)).send(body);
}

/** The OAuth error code a response carried, for metrics. */
export function oauthErrorCode(error: unknown): string {
  if (isDomainError(error)) return OAUTH_ERRORS[error.code][1];
  return frameworkError(error as { statusCode?: number }) ? 'invalid_request' : 'server_error';
}
