import { actingUser, auditActor, requireRole, type Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';

export interface EndSessionDeps {
  readonly storage: Pick<Storage, 'transaction'>;
  readonly clock: Clock;
}

/** Log-out: ends the caller's own session. */
export async function endSession(deps: EndSessionDeps, input: { readonly actor: Actor; readonly sessionId: string }): Promise<void> {
  const user = actingUser(input.actor, 'logging out');
  await deps.storage.transaction(async (tx) => {
    if (await tx.sessions.delete(input.sessionId)) {
      await tx.audit.append({ at: deps.clock.now(), ...auditActor(input.actor), action: 'session.ended', target: `user:${user.id}`, details: { reason: 'logout' } });
    }
  });
}

/** An administrator ends every session of a user (a lost laptop, a leaver); answers how many ended. */
export async function endUserSessions(deps: EndSessionDeps, input: { readonly actor: Actor; readonly userId: string }): Promise<number> {
  const { actor, userId } = input;
  requireRole(actor, 'admin', "ending a user's sessions");
  return deps.storage.transaction(async (tx) => {
    if (!(await tx.users.get(userId))) throw new DomainError('not_found', `no user with id ${userId}`);
    const ended = await tx.sessions.deleteForUser(userId);
    await tx.audit.append({ at: deps.clock.now(), ...auditActor(actor), action: 'session.ended_by_admin', target: `user:${userId}`, details: { sessions: ended } });
    return ended;
  });
}
