import type { Actor } from '../audit/audit-event.js';
import { DomainError } from '../errors.js';
import type { SessionDeps } from './start-session.js';

/** Log-out: ends the caller's own session. */
export async function endSession(deps: Pick<SessionDeps, 'storage' | 'clock'>, actor: Actor, sessionId: string, userId: string): Promise<void> {
  await deps.storage.transaction(async (tx) => {
    if (await tx.sessions.delete(sessionId)) {
      await tx.audit.append({ at: deps.clock.now(), ...actor, action: 'session.ended', target: `user:${userId}`, details: { reason: 'logout' } });
    }
  });
}

/** An administrator ends every session of a user (a lost laptop, a leaver); answers how many ended. */
export async function endUserSessions(deps: Pick<SessionDeps, 'storage' | 'clock'>, actor: Actor, userId: string): Promise<number> {
  return deps.storage.transaction(async (tx) => {
    if (!(await tx.users.get(userId))) throw new DomainError('not_found', `no user with id ${userId}`);
    const ended = await tx.sessions.deleteForUser(userId);
    await tx.audit.append({ at: deps.clock.now(), ...actor, action: 'session.ended_by_admin', target: `user:${userId}`, details: { sessions: ended } });
    return ended;
  });
}
