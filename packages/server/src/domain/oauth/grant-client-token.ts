import { authenticateClient, type AuthenticateClientDeps, type ClientCredentials } from '../clients/authenticate-client.js';
import { DomainError, isDomainError } from '../errors.js';
import type { LoginThrottle } from '../users/login-throttle.js';
import { issueClientToken, type ClientTokenRequest, type IssuedToken, type IssueTokenDeps } from './issue-client-token.js';

export interface RevealingGrantDeps extends AuthenticateClientDeps, IssueTokenDeps {
  /** Counts failures per client id and address, and per address. */
  readonly clientThrottle: LoginThrottle;
}

export interface RevealingGrantInput extends ClientTokenRequest {
  readonly credentials: ClientCredentials;
  readonly address: string;
}

/**
 * Client credentials for an endpoint whose documented contract tells an unknown client id (`not_found`)
 * from a wrong secret (`bad_credentials`), as the access-token dialect's 404 does. Since that answer
 * reveals which client ids exist, failures are counted per address (and per client id and address) and
 * refused for a while (`rate_limited`) after a few, before any lookup.
 */
export async function grantRevealingClientToken(deps: RevealingGrantDeps, input: RevealingGrantInput): Promise<IssuedToken> {
  const attempt = { account: input.credentials.clientId, address: input.address };
  await deps.clientThrottle.check(attempt);
  try {
    if (!(await deps.directory.get(input.credentials.clientId))) {
      throw new DomainError('not_found', `client_id ${input.credentials.clientId} was not found`);
    }
    const client = await authenticateClient(deps, input.credentials);
    return issueClientToken(deps, client, input);
  } catch (error) {
    if (isDomainError(error) && (error.code === 'not_found' || error.code === 'bad_credentials')) await deps.clientThrottle.fail(attempt);
    throw error;
  }
}
