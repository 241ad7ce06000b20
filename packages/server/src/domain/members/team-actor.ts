import type { Actor } from '../audit/audit-event.js';

/** A signed-in user acting on applications: who, whether a system administrator, and from where. */
export interface TeamActor {
  readonly userId: string;
  readonly admin: boolean;
  readonly address: string | null;
}

/** The audit log's view of the actor. */
export function auditActor(actor: TeamActor): Actor {
  return { actor: `user:${actor.userId}`, address: actor.address };
}
