import { authenticateClient, type AuthenticateClientDeps, type ClientCredentials } from '../../clients/authenticate-client.js';
import type { ResolvedClient } from '../../clients/client-directory.js';
import { DomainError } from '../../errors.js';
import { resourceIndicators, single, type FormParameters } from '../form-parameters.js';
import { issueClientToken, type IssuedToken, type IssueTokenDeps } from '../issue-client-token.js';
import type { Grant } from './grant.js';

export interface ClientCredentialsDeps extends AuthenticateClientDeps, IssueTokenDeps {}

function issueFor(deps: ClientCredentialsDeps, client: ResolvedClient, params: FormParameters): IssuedToken {
  return issueClientToken(deps, client, { scope: single(params, 'scope'), resources: resourceIndicators(params) });
}

function requireCredentials(credentials: ClientCredentials | null): ClientCredentials {
  if (credentials === null) throw new DomainError('bad_credentials', 'client authentication is required: HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post)');
  return credentials;
}

/**
 * RFC 6749 §4.4: the client authenticates and gets a token covering its grants (`scope`, RFC 8707
 * `resource`). The token hot path: a cached client is answered synchronously, without a database read.
 * The parameters are read only once the client has authenticated, so a bad client is always refused as
 * one (401), whatever else is wrong with its request.
 */
export const clientCredentialsGrant: Grant<ClientCredentialsDeps> = {
  grantType: 'client_credentials',
  clientAuthentication: 'required',
  handle(deps, input) {
    const client = authenticateClient(deps, requireCredentials(input.credentials));
    // A closure only when the client had to be read: the cached path allocates none.
    return client instanceof Promise ? client.then((c) => issueFor(deps, c, input.params)) : issueFor(deps, client, input.params);
  },
};
