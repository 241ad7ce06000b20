import type { Storage } from '../storage.js';
import { requireRole, type Actor } from '../actor.js';
import type { MailStatus, OutboxCursor, OutboxMail } from './outbox.js';

export interface ListOutboxInput {
  readonly actor: Actor;
  readonly limit: number;
  readonly after?: OutboxCursor;
  readonly status?: MailStatus;
}

/**
 * The outbox, newest first, for administrators: what the server sent, logged,
 * is still trying to send (with the last error), or gave up on. Answers `limit + 1` rows when there are
 * more, so the caller knows another page exists.
 */
export async function listOutbox(deps: { readonly storage: Pick<Storage, 'outbox'> }, input: ListOutboxInput): Promise<OutboxMail[]> {
  requireRole(input.actor, 'admin', 'reading the outbox');
  return deps.storage.outbox.list({
    limit: input.limit + 1,
    ...(input.after ? { after: input.after } : {}),
    ...(input.status ? { status: input.status } : {}),
  });
}
