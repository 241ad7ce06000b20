import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import type { KeyManager } from '../keys/key-manager.js';
import { signAccessToken } from '../keys/sign-access-token.js';
import { DomainError } from '../errors.js';
import { describeIssues } from '../validation.js';
import { actingUser, auditActor, requireRole } from '../actor.js';
import { getPersonalToken, type PersonalTokenInput } from './get-personal-token.js';
import { PERSONAL_TOKEN_CLAIM, PERSONAL_TOKEN_CLIENT_ID, type PersonalToken } from './personal-token.js';
import { coverScopes } from './personal-token-scopes.js';
import { loadPersonalTokenRights } from './personal-token-rights.js';
import { retirePersonalJwt } from './retire-personal-jwt.js';

export interface GeneratePersonalTokenDeps {
  readonly storage: Pick<Storage, 'personalTokens' | 'clients' | 'services' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly keys: KeyManager;
  readonly issuer: string;
  readonly environments: readonly string[];
}

export interface GeneratedPersonalToken {
  /** The JWT: shown this once, never stored. */
  readonly token: string;
  readonly record: PersonalToken;
}

/**
 * Issues the record's JWT (RFC 9068, signed by the current key, `exp` = the record's expiry) and makes it
 * the record's only live one. The owner's rights are checked again (they may have left a team since the
 * record was made): a scope they may not hold now is a 400 naming `scopes[i]`, and `aud` names each
 * service only in the environments where they hold the token's scopes of it today. The previous JWT is
 * inactive from the moment this commits. Generation is a compare-and-set on the record's current `jti`,
 * so of concurrent calls exactly one succeeds and the others get `conflict`: every token handed out was live when it was handed out, and exactly one survives.
 */
export async function generatePersonalToken(deps: GeneratePersonalTokenDeps, input: PersonalTokenInput): Promise<GeneratedPersonalToken> {
  const owner = actingUser(input.actor, 'generating personal access tokens');
  requireRole(input.actor, 'pat', 'generating personal access tokens');
  const record = await getPersonalToken(deps, input);
  const now = deps.clock.now();
  if (record.revokedAt !== null) throw new DomainError('conflict', `personal access token "${record.name}" was revoked by a token administrator; create a new one`);
  if (record.expiresAt <= now) throw new DomainError('conflict', `personal access token "${record.name}" has expired; create a new one`);
  const coverage = coverScopes(deps.issuer, await loadPersonalTokenRights(deps, owner), record.scopes);
  if (coverage.issues.length > 0) {
    const why = describeIssues(coverage.issues);
    throw new DomainError('bad_request', `personal access token "${record.name}" carries scopes you may not hold now (${why}); create a new one with the scopes GET /api/v1/me/tokens/scopes offers you`, { fields: coverage.issues });
  }
  const { jwt: token, jti } = signAccessToken(
    deps,
    { sub: record.userId, aud: coverage.audiences, exp: Math.floor(record.expiresAt / 1000) },
    { client_id: PERSONAL_TOKEN_CLIENT_ID, scope: record.scopes.join(' '), [PERSONAL_TOKEN_CLAIM]: record.id },
  );
  const replaced = await deps.storage.transaction(async (tx) => {
    if (!(await tx.personalTokens.replaceJti(record.id, record.jti, { jti, at: now }))) return false;
    await retirePersonalJwt(tx, record, now);
    await tx.audit.append({
      at: now,
      ...auditActor(input.actor),
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
