import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { DomainError, type FieldIssue } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { actingUser, auditActor, requireRole, type Actor } from '../actor.js';
import type { PersonalToken } from './personal-token.js';
import { chooseScopes } from './personal-token-scopes.js';
import { loadPersonalTokenRights } from './personal-token-rights.js';
import { enqueuePersonalTokenNotice } from './personal-token-mail.js';
import { retirePersonalJwt } from './retire-personal-jwt.js';

export interface CreatePersonalTokenInput {
  readonly actor: Actor;
  readonly name: string;
  /** ISO 8601 date-time (`2027-03-01T00:00:00Z`) or date (`2027-03-01`, midnight UTC). */
  readonly expiresAt: string;
  /** Absent: the read scopes the user may hold. */
  readonly scopes?: readonly string[];
  /** The id of one of the caller's records this one replaces: it is deleted in the same transaction, freeing its name. */
  readonly replaces?: string;
}

export interface CreatePersonalTokenDeps {
  readonly storage: Pick<Storage, 'clients' | 'services' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly issuer: string;
  /** LATCHKEY_PAT_MAX_DAYS. */
  readonly patMaxDays: number;
  readonly environments: readonly string[];
}

const DAY_MS = 86_400_000;
// Printable, no control characters; the name shows in lists and mail subjects.
const NAME = /^[^\p{Cc}]{1,100}$/u;

/** Time-ordered ids (newest sort last), so lists page by id alone. */
export function newPersonalTokenId(random: Random, now: number): string {
  return `pat_${now.toString(36).padStart(9, '0')}${random.bytes(8).toString('hex')}`;
}

function parseExpiry(raw: string, now: number, maxDays: number): { at: number; issues: FieldIssue[] } {
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  // JWT `exp` is in whole seconds; the record keeps the same instant.
  const seconds = Math.floor(at / 1000) * 1000;
  if (Number.isNaN(at)) return { at, issues: [{ field: 'expires_at', message: 'expected an ISO 8601 date or date-time, such as 2027-03-01 or 2027-03-01T12:00:00Z' }] };
  if (seconds <= now) return { at, issues: [{ field: 'expires_at', message: 'the expiry is in the past: choose a future date' }] };
  // Counted in whole days: any time on the last allowed (UTC) day is accepted, so a date picker's
  // "end of that day" is never a few hours too far.
  const latest = Math.ceil((now + maxDays * DAY_MS) / DAY_MS) * DAY_MS - 1000;
  if (seconds > latest) {
    return { at, issues: [{ field: 'expires_at', message: `a personal access token lives at most ${maxDays} days: choose a date no later than ${new Date(latest).toISOString()}` }] };
  }
  return { at: seconds, issues: [] };
}

/**
 * A `pat` holder creates a personal token record (no JWT yet: "generate" issues it). The owner is emailed.
 * Its scopes are only what the owner may hold (PersonalTokenRights): anything else is a 400 naming
 * `scopes[i]` and why. Names are unique per user; of two concurrent creations with one name, one gets `conflict`.
 */
export async function createPersonalToken(deps: CreatePersonalTokenDeps, input: CreatePersonalTokenInput): Promise<PersonalToken> {
  const { actor } = input;
  const owner = actingUser(actor, 'creating personal access tokens');
  requireRole(actor, 'pat', 'creating personal access tokens');
  const now = deps.clock.now();
  const name = input.name.trim();
  const expiry = parseExpiry(input.expiresAt, now, deps.patMaxDays);
  const chosen = chooseScopes(deps.issuer, await loadPersonalTokenRights(deps, owner), input.scopes);
  throwIfInvalid([
    ...(NAME.test(name) ? [] : [{ field: 'name', message: 'a name is 1-100 characters without control characters, such as "CI deploy"' }]),
    ...expiry.issues,
    ...chosen.issues,
  ]);
  const record: PersonalToken = {
    id: newPersonalTokenId(deps.random, now),
    userId: owner.id,
    name,
    scopes: chosen.scopes,
    expiresAt: expiry.at,
    jti: null,
    generatedAt: null,
    lastUsedAt: null,
    lastUsedFrom: null,
    createdAt: now,
    revokedAt: null,
    revokedBy: null,
  };
  await deps.storage.transaction(async (tx) => {
    if (input.replaces !== undefined) {
      const old = await tx.personalTokens.get(input.replaces);
      if (!old || old.userId !== owner.id) throw new DomainError('not_found', `you have no personal access token with id ${input.replaces} to replace`);
      await tx.personalTokens.delete(old.id);
      await retirePersonalJwt(tx, old, now);
      await tx.audit.append({ at: now, ...auditActor(actor), action: 'personal_token.deleted', target: `personal_token:${old.id}`, details: { name: old.name, owner: old.userId, replaced_by: record.id } });
    }
    await tx.personalTokens.create(record);
    await tx.audit.append({
      at: now,
      ...auditActor(actor),
      action: 'personal_token.created',
      target: `personal_token:${record.id}`,
      details: { name, owner: record.userId, scopes: record.scopes, expires_at: new Date(record.expiresAt).toISOString(), ...(input.replaces === undefined ? {} : { replaces: input.replaces }) },
    });
    await enqueuePersonalTokenNotice(tx, { ...deps, now }, 'created', record, owner);
  });
  return record;
}
