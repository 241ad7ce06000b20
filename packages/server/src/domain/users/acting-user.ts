import type { Actor } from '../audit/audit-event.js';
import { DomainError } from '../errors.js';
import type { Role, User } from './user.js';

/** A signed-in user acting through the portal (re-read from storage for this request), and from where. */
export interface ActingUser {
  readonly user: User;
  readonly address: string | null;
}

export function actorOf(acting: ActingUser): Actor {
  return { actor: `user:${acting.user.id}`, address: acting.address };
}

/** Refuses a disabled user, or one without `role`, with a message naming what is missing. */
export function requireUserRole(acting: ActingUser, role: Role, doing: string): void {
  if (acting.user.disabledAt !== null) throw new DomainError('forbidden', 'your account is disabled; ask an administrator');
  if (!acting.user.roles.includes(role)) {
    throw new DomainError('forbidden', `${doing} needs the ${role} role, which you do not have; ask a system administrator to grant it`);
  }
}
