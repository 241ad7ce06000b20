import type { ClientCredentials } from '../../clients/authenticate-client.js';
import { DomainError, isDomainError } from '../../errors.js';
import type { LoginThrottle } from '../../users/login-throttle.js';
import type { FormParameters } from '../form-parameters.js';
import type { IssuedToken } from '../issue-client-token.js';
import { clientCredentialsGrant, type ClientCredentialsDeps } from './client-credentials.js';

export interface RevealingGrantDeps extends ClientCredentialsDeps {
  /** Counts failures per client id and address, and per address. */
  readonly clientThrottle: LoginThrottle;
}

export interface RevealingGrantInput {
  readonly credentials: ClientCredentials;
  /** RFC 6749 §3.3 space-separated scopes; absent: every scope the client was granted. */
  readonly scope?: string | undefined;
  readonly address: string;
}

/**
 * Client credentials for an endpoint whose documented contract tells an unknown client id (`not_found`)
 * from a wrong secret (`bad_credentials`), as the access-token dialect's 404 does. Since that answer
 * reveals which client ids exist, failures are counted per address (and per client id and address) and
 * refused for a while (`rate_limited`) after a few, before any lookup. Past that check it is the
 * client_credentials grant itself.
 */
export async function grantRevealingClientToken(deps: RevealingGrantDeps, input: RevealingGrantInput): Promise<IssuedToken> {
  const { credentials, address } = input;
  const attempt = { account: credentials.clientId, address };
  await deps.clientThrottle.check(attempt);
  try {
    if (!(await deps.directory.get(credentials.clientId))) {
      throw new DomainError('not_found', `client_id ${credentials.clientId} was not found`);
    }
    const params: FormParameters = input.scope === undefined ? {} : { scope: [input.scope] };
    return await clientCredentialsGrant.handle(deps, { credentials, params, address });
  } catch (error) {
    if (isDomainError(error) && (error.code === 'not_found' || error.code === 'bad_credentials')) await deps.clientThrottle.fail(attempt);
    throw error;
  }
}
