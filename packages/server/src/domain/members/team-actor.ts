import type { ActingUser } from '../users/acting-user.js';

/**
 * A signed-in user acting on applications: the user as read for this request (roles as they are now; the
 * use cases do not read it again), and from where. Its audit view is `actorOf` (users/acting-user.ts).
 */
export type TeamActor = ActingUser;

/** Whether the actor is a system administrator (sees and decides every application). */
export function isAdmin(actor: TeamActor): boolean {
  return actor.user.roles.includes('admin');
}
