import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { actorOf, type ActingUser } from '../users/acting-user.js';
import { ownRecord } from './generate-personal-token.js';

/**
 * The owner deletes one of their records: its JWT is inactive at once. Allowed without the `pat` role, so
 * a user who lost it can still clean up.
 */
export async function deletePersonalToken(deps: { readonly storage: Storage; readonly clock: Clock }, acting: ActingUser, id: string): Promise<void> {
  const record = await ownRecord(deps.storage, acting, id);
  const now = deps.clock.now();
  await deps.storage.transaction(async (tx) => {
    if (!(await tx.personalTokens.delete(record.id))) throw new DomainError('not_found', `you have no personal access token with id ${id}`);
    await tx.audit.append({ at: now, ...actorOf(acting), action: 'personal_token.deleted', target: `personal_token:${record.id}`, details: { name: record.name, owner: record.userId } });
  });
}
