import type { ClientCredentials } from '../../clients/authenticate-client.js';
import type { FormParameters } from '../form-parameters.js';
import type { IssuedToken } from '../issue-client-token.js';

/** What a grant is handed: the request as parsed, with nothing of the transport left in it. */
export interface GrantInput {
  /** The client's credentials as presented (not yet checked); null when the request presented none. */
  readonly credentials: ClientCredentials | null;
  /** The token request's parameters (RFC 6749 §4), `grant_type` included. */
  readonly params: FormParameters;
  /** The caller's address as the server sees it, for throttles and the audit log. */
  readonly address: string;
}

/**
 * One grant type of the token endpoint (RFC 6749 §4). `clientAuthentication` says whether a request
 * without client credentials is refused before the grant runs (`required`) or handed to it with
 * `credentials: null` (`optional`: a public client, RFC 6749 §2.1).
 *
 * `handle` answers synchronously when it can, so a cached client's token costs no promise; callers
 * await the result when it is one.
 */
export interface Grant<Deps> {
  readonly grantType: string;
  readonly clientAuthentication: 'required' | 'optional';
  handle(deps: Deps, input: GrantInput): IssuedToken | Promise<IssuedToken>;
}
