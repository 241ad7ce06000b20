import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { User } from '../users/user.js';
import { PERSONAL_TOKEN_CLAIM, type PersonalToken } from './personal-token.js';
import type { PersonalTokenUsage } from './personal-token-usage.js';

export interface PersonalTokenCheckDeps {
  readonly storage: Pick<Storage, 'personalTokens' | 'users'>;
  readonly clock: Clock;
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
 * or expired, and its owner exists, is not disabled and still holds `pat`. Read through on every call (no
 * cache), so a deletion, revocation or role removal holds at once in every instance. A live use is
 * recorded (batched) with the address, when known.
 */
export async function checkPersonalToken(
  deps: PersonalTokenCheckDeps,
  claims: Readonly<Record<string, unknown>>,
  from: string | null,
): Promise<LivePersonalToken | null> {
  const id = claims[PERSONAL_TOKEN_CLAIM];
  if (typeof id !== 'string' || typeof claims.jti !== 'string') return null;
  const record = await deps.storage.personalTokens.get(id);
  const now = deps.clock.now();
  if (!record || record.jti !== claims.jti || record.revokedAt !== null || record.expiresAt <= now) return null;
  if (claims.sub !== record.userId) return null;
  const user = await deps.storage.users.get(record.userId);
  if (!user || user.disabledAt !== null || !user.roles.includes('pat')) return null;
  deps.personalTokenUsage?.record({ id: record.id, at: now, from });
  return { record, user };
}
