import type { IntrospectDeps } from '../oauth/introspect-token.js';
import { verifyAccessToken } from '../oauth/introspect-token.js';
import type { User } from '../users/user.js';
import { checkPersonalToken, isPersonalTokenClaims } from './check-personal-token.js';
import { PORTAL_WRITE_SCOPE } from './personal-token.js';

export interface PersonalTokenPrincipal {
  readonly user: User;
  /** The record the token was generated from. */
  readonly tokenId: string;
  readonly scopes: readonly string[];
  /** Without `portal:write` the token reads the portal API but changes nothing. */
  readonly canWrite: boolean;
}

/**
 * `Authorization: Bearer <personal access token>` on the portal API: the same checks as introspection
 * (signature, issuer, expiry, the record's current JWT, the owner enabled and holding `pat`), read through
 * on every request. Anything else (another kind of token, garbage) is null, never an error.
 */
export async function authenticatePersonalToken(
  deps: Pick<IntrospectDeps, 'keys' | 'clock' | 'issuer' | 'storage' | 'personalTokenUsage'>,
  token: string,
  from: string | null,
): Promise<PersonalTokenPrincipal | null> {
  const claims = verifyAccessToken(deps, token);
  if (!claims || !isPersonalTokenClaims(claims)) return null;
  const live = await checkPersonalToken(deps, claims, from);
  if (!live) return null;
  return { user: live.user, tokenId: live.record.id, scopes: live.record.scopes, canWrite: live.record.scopes.includes(PORTAL_WRITE_SCOPE) };
}
