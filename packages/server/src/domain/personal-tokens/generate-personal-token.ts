import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { KeyManager } from '../keys/key-manager.js';
import { DomainError } from '../errors.js';
import { actorOf, requireUserRole, type ActingUser } from '../users/acting-user.js';
import { PERSONAL_TOKEN_CLAIM, PERSONAL_TOKEN_CLIENT_ID, type PersonalToken } from './personal-token.js';
import { coverScopes } from './personal-token-scopes.js';
import { loadPersonalTokenRights } from './personal-token-rights.js';

export interface GeneratePersonalTokenDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly keys: KeyManager;
  readonly issuer: string;
  readonly environments: readonly string[];
}

export interface GeneratedPersonalToken {
  /** The JWT: shown this once, never stored. */
  readonly token: string;
  readonly record: PersonalToken;
}

/** One of the caller's own records, or `not_found` (someone else's record is not found, not forbidden). */
export async function ownRecord(storage: Storage, acting: ActingUser, id: string): Promise<PersonalToken> {
  const record = await storage.personalTokens.get(id);
  if (!record || record.userId !== acting.user.id) throw new DomainError('not_found', `you have no personal access token with id ${id}`);
  return record;
}

/**
 * Issues the record's JWT (RFC 9068, signed by the current key, `exp` = the record's expiry) and makes it
 * the record's only live one. The owner's rights are checked again (they may have left a team since the
 * record was made): a scope they may not hold now is a 400 naming `scopes[i]`, and `aud` names each
 * service only in the environments where they hold the token's scopes of it today. The previous JWT is
 * inactive from the moment this commits. Generation is a compare-and-set on the record's current `jti`, so of concurrent calls exactly one succeeds and the others
 * get `conflict`: every token handed out was live when it was handed out, and exactly one survives.
 */
export async function generatePersonalToken(deps: GeneratePersonalTokenDeps, acting: ActingUser, id: string): Promise<GeneratedPersonalToken> {
  requireUserRole(acting, 'pat', 'generating personal access tokens');
  const record = await ownRecord(deps.storage, acting, id);
  const now = deps.clock.now();
  if (record.revokedAt !== null) throw new DomainError('conflict', `personal access token "${record.name}" was revoked by a token administrator; create a new one`);
  if (record.expiresAt <= now) throw new DomainError('conflict', `personal access token "${record.name}" has expired; create a new one`);
  const coverage = coverScopes(deps.issuer, await loadPersonalTokenRights(deps, acting.user), record.scopes);
  if (coverage.issues.length > 0) {
    const why = coverage.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new DomainError('bad_request', `personal access token "${record.name}" carries scopes you may not hold now (${why}); create a new one with the scopes GET /api/v1/me/tokens/scopes offers you`, { fields: coverage.issues });
  }
  const jti = randomUUID();
  const iat = Math.floor(now / 1000);
  const token = deps.keys.signer().sign({
    iss: deps.issuer,
    sub: record.userId,
    aud: coverage.audiences,
    exp: Math.floor(record.expiresAt / 1000),
    iat,
    jti,
    client_id: PERSONAL_TOKEN_CLIENT_ID,
    scope: record.scopes.join(' '),
    [PERSONAL_TOKEN_CLAIM]: record.id,
  });
  const replaced = await deps.storage.transaction(async (tx) => {
    if (!(await tx.personalTokens.replaceJti(record.id, record.jti, { jti, at: now }))) return false;
    await tx.audit.append({
      at: now,
      ...actorOf(acting),
      action: 'personal_token.generated',
      target: `personal_token:${record.id}`,
      details: { name: record.name, owner: record.userId, jti, ...(record.jti === null ? {} : { replaced_jti: record.jti }) },
    });
    return true;
  });
  if (!replaced) {
    throw new DomainError('conflict', `personal access token "${record.name}" was generated, revoked or deleted at the same moment by another request; reload and try again`);
  }
  return { token, record: { ...record, jti, generatedAt: now } };
}
