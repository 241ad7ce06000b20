import { DomainError } from '../../errors.js';
import { clientCredentialsGrant, type ClientCredentialsDeps } from './client-credentials.js';
import type { Grant } from './grant.js';
import { passwordGrant, type PasswordGrantDeps } from './password.js';

/** What every grant of the token endpoint may need. */
export type TokenGrantDeps = ClientCredentialsDeps & PasswordGrantDeps;

/** The token endpoint's grant types, by `grant_type`. A new grant is one file here and one entry below. */
export const TOKEN_GRANTS: ReadonlyMap<string, Grant<TokenGrantDeps>> = new Map<string, Grant<TokenGrantDeps>>(
  [clientCredentialsGrant, passwordGrant].map((grant) => [grant.grantType, grant]),
);

const SUPPORTED = [...TOKEN_GRANTS.keys()].join(', ');

/** The grant for a `grant_type`, or `unsupported_grant` naming the supported ones. */
export function tokenGrant(grantType: string): Grant<TokenGrantDeps> {
  const grant = TOKEN_GRANTS.get(grantType);
  if (!grant) throw new DomainError('unsupported_grant', `grant_type "${grantType}" is not supported; use one of: ${SUPPORTED}`);
  return grant;
}
