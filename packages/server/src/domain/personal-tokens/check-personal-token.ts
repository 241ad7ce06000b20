import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { User } from '../users/user.js';
import { PERSONAL_TOKEN_CLAIM, type PersonalToken } from './personal-token.js';
import type { PersonalTokenUsage } from './personal-token-usage.js';
import { loadPersonalTokenRights } from './personal-token-rights.js';
import { coverScopes, type ScopeCoverage } from './personal-token-scopes.js';

export interface PersonalTokenCheckDeps {
  readonly storage: Pick<Storage, 'personalTokens' | 'users' | 'clients' | 'services'>;
  readonly clock: Clock;
  readonly issuer: string;
  readonly environments: readonly string[];
  readonly personalTokenUsage?: PersonalTokenUsage;
}

export interface LivePersonalToken {
  readonly record: PersonalToken;
  readonly user: User;
}

/** Whether verified claims are those of a personal token (they name a record). */
export function isPersonalTokenClaims(claims: Readonly<Record<string, unknown>>): boolean {
  return PERSONAL_TOKEN_CLAIM in claims;
}

/**
 * The record and owner behind the verified claims of a personal token, if it is live right now: the record
 * exists (not deleted), its current JWT is this one (not replaced by a later generate), it is not revoked
 * or expired, its owner exists, is not disabled and still holds `pat`, and the owner may still hold all of
 * it: every scope, and every audience its `aud` names (PersonalTokenRights). A token that now exceeds its
 * owner's rights in any part is inactive as a whole: a resource server cannot be told "this scope no
 * longer, that environment no longer", and a partly valid token would be a puzzle to debug. Read through
 * on every call (no cache), so a deletion, revocation, role removal, a member leaving a team or a grant
 * going holds at once in every instance. A live use is recorded (batched) with the address, when known.
 */
export async function checkPersonalToken(
  deps: PersonalTokenCheckDeps,
  claims: Readonly<Record<string, unknown>>,
  from: string | null,
): Promise<LivePersonalToken | null> {
  const id = claims[PERSONAL_TOKEN_CLAIM];
  if (typeof id !== 'string' || typeof claims.jti !== 'string') return null;
  const record = await deps.storage.personalTokens.get(id);
  if (!record || record.jti !== claims.jti || claims.sub !== record.userId) return null;
  const user = await livePersonalTokenOwner(deps, record, { aud: claims.aud });
  if (!user) return null;
  deps.personalTokenUsage?.record({ id: record.id, at: deps.clock.now(), from });
  return { record, user };
}

/**
 * The owner of a record whose current JWT is live right now (the record part of checkPersonalToken): not
 * revoked or expired, its owner exists, is enabled, holds `pat` and may still hold every scope of it, and
 * every audience the token's `aud` claim names. With `token` null (the JWT itself is not at hand: the
 * revocation feed judges records) the audiences are not checked, only the scopes.
 */
export async function livePersonalTokenOwner(deps: PersonalTokenCheckDeps, record: PersonalToken, token: { readonly aud: unknown } | null): Promise<User | null> {
  if (record.jti === null || record.revokedAt !== null || record.expiresAt <= deps.clock.now()) return null;
  const user = await deps.storage.users.get(record.userId);
  if (!user || user.disabledAt !== null || !user.roles.includes('pat')) return null;
  return withinRights(token, coverScopes(deps.issuer, await loadPersonalTokenRights(deps, user), record.scopes)) ? user : null;
}

/** Every scope still held and every audience the token names still one the owner would get now. */
function withinRights(token: { readonly aud: unknown } | null, coverage: ScopeCoverage): boolean {
  if (coverage.issues.length > 0) return false;
  if (token === null) return true;
  const { aud } = token;
  const named: readonly unknown[] = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return named.length > 0 && named.every((a) => typeof a === 'string' && coverage.audiences.includes(a));
}
