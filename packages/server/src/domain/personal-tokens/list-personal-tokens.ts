import type { Storage } from '../storage.js';
import type { StoredAuditEvent } from '../audit/audit-event.js';
import { actingUser, requireRole, type Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import type { User } from '../users/user.js';
import type { PersonalToken, PersonalTokenFilter } from './personal-token.js';

/** A record's state as its owner and administrators see it. */
export type PersonalTokenStatus = 'not_generated' | 'active' | 'expired' | 'revoked';

export function personalTokenStatus(record: PersonalToken, now: number): PersonalTokenStatus {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt <= now) return 'expired';
  return record.jti === null ? 'not_generated' : 'active';
}

export interface PersonalTokenPage {
  readonly items: readonly PersonalToken[];
  /** Pass as `before` for the next page; null on the last one. */
  readonly next: string | null;
}

/** A record with its owner (null once the owner is gone), as token administrators list them. */
export interface OwnedPersonalToken {
  readonly record: PersonalToken;
  readonly owner: User | null;
}

export interface OwnedPersonalTokenPage {
  readonly items: readonly OwnedPersonalToken[];
  readonly next: string | null;
}

type PageInput = Omit<PersonalTokenFilter, 'userId'> & { readonly actor: Actor };

async function page(storage: Pick<Storage, 'personalTokens'>, filter: PersonalTokenFilter): Promise<PersonalTokenPage> {
  const found = await storage.personalTokens.list({ ...filter, limit: filter.limit + 1 });
  const items = found.slice(0, filter.limit);
  return { items, next: found.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The caller's own records, newest first (no role needed: someone who lost `pat` can still see and delete). */
export function listOwnPersonalTokens(deps: { readonly storage: Pick<Storage, 'personalTokens'> }, input: PageInput): Promise<PersonalTokenPage> {
  const { actor, ...filter } = input;
  return page(deps.storage, { ...filter, userId: actingUser(actor, 'listing your personal access tokens').id });
}

export interface ListAllPersonalTokensInput extends PageInput {
  readonly userId?: string;
  /** Only the tokens of the user with this email (none when nobody has it); with `userId`, both must name one user. */
  readonly email?: string;
}

/** Every user's records with their owners, for token administrators: by user, by expiry, by last use. */
export async function listAllPersonalTokens(
  deps: { readonly storage: Pick<Storage, 'personalTokens' | 'users'> },
  input: ListAllPersonalTokensInput,
): Promise<OwnedPersonalTokenPage> {
  const { actor, email, ...filter } = input;
  requireRole(actor, 'token_admin', 'listing every personal access token');
  let userId = filter.userId;
  if (email !== undefined) {
    const owner = await deps.storage.users.getByEmail(email);
    if (!owner) return { items: [], next: null };
    if (userId !== undefined && userId !== owner.id) throw new DomainError('bad_request', 'user_id and email name different users: give one of them');
    userId = owner.id;
  }
  const found = await page(deps.storage, { ...filter, ...(userId === undefined ? {} : { userId }) });
  const owners = new Map<string, User | null>();
  for (const id of new Set(found.items.map((r) => r.userId))) owners.set(id, await deps.storage.users.get(id));
  return { items: found.items.map((record) => ({ record, owner: owners.get(record.userId) ?? null })), next: found.next };
}

/** What token administrators see of the audit log: personal token events and role changes. */
export const PERSONAL_TOKEN_AUDIT_ACTIONS = ['personal_token.', 'user.role_'] as const;

export async function listPersonalTokenAudit(
  deps: { readonly storage: Pick<Storage, 'audit'> },
  input: { readonly actor: Actor; readonly limit: number; readonly before?: number },
): Promise<{ items: StoredAuditEvent[]; next: number | null }> {
  const { actor, ...options } = input;
  requireRole(actor, 'token_admin', 'reading the personal access token audit trail');
  const found = await deps.storage.audit.list({ ...options, limit: options.limit + 1, actionPrefixes: PERSONAL_TOKEN_AUDIT_ACTIONS });
  const items = found.slice(0, options.limit);
  return { items, next: found.length > options.limit ? (items[items.length - 1]?.id ?? null) : null };
}
