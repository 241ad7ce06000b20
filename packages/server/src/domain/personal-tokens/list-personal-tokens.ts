import type { Storage } from '../storage.js';
import type { StoredAuditEvent } from '../audit/audit-event.js';
import { requireUserRole, type ActingUser } from '../users/acting-user.js';
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

type Page = Omit<PersonalTokenFilter, 'userId'>;

async function page(storage: Storage, filter: PersonalTokenFilter): Promise<PersonalTokenPage> {
  const found = await storage.personalTokens.list({ ...filter, limit: filter.limit + 1 });
  const items = found.slice(0, filter.limit);
  return { items, next: found.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The caller's own records, newest first (no role needed: someone who lost `pat` can still see and delete). */
export function listOwnPersonalTokens(deps: { readonly storage: Storage }, acting: ActingUser, filter: Page): Promise<PersonalTokenPage> {
  return page(deps.storage, { ...filter, userId: acting.user.id });
}

/** Every user's records, for token administrators: by user, by expiry, by last use. */
export function listAllPersonalTokens(deps: { readonly storage: Storage }, acting: ActingUser, filter: PersonalTokenFilter): Promise<PersonalTokenPage> {
  requireUserRole(acting, 'token_admin', 'listing every personal access token');
  return page(deps.storage, filter);
}

/** What token administrators see of the audit log: personal token events and role changes. */
export const PERSONAL_TOKEN_AUDIT_ACTIONS = ['personal_token.', 'user.role_'] as const;

export async function listPersonalTokenAudit(
  deps: { readonly storage: Storage },
  acting: ActingUser,
  options: { readonly limit: number; readonly before?: number },
): Promise<{ items: StoredAuditEvent[]; next: number | null }> {
  requireUserRole(acting, 'token_admin', 'reading the personal access token audit trail');
  const found = await deps.storage.audit.list({ ...options, limit: options.limit + 1, actionPrefixes: PERSONAL_TOKEN_AUDIT_ACTIONS });
  const items = found.slice(0, options.limit);
  return { items, next: found.length > options.limit ? (items[items.length - 1]?.id ?? null) : null };
}
