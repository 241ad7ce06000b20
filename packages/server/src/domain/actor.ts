import { DomainError } from './errors.js';
import type { Role, User } from './users/user.js';

/**
 * Who acts, as every use case takes it (`input.actor`): a signed-in user, or an operator (the command line,
 * the start-up configuration); and from where. Audit entries record `actor` and `address`; permission
 * checks read `user`.
 */
export interface Actor {
  /** How the audit log names who acted: `user:<id>`, `cli` or `config`. */
  readonly actor: string;
  readonly address: string | null;
  /**
   * The user acting through the portal, as read for this request (roles as they are now; use cases do not
   * read it again). Null for an operator, who is trusted: they hold the database and the server key anyway.
   */
  readonly user: User | null;
}

/** An actor known to be a signed-in user (what the portal's routes hand to use cases). */
export type UserActor = Actor & { readonly user: User };

export function userActor(user: User, address: string | null): UserActor {
  return { actor: `user:${user.id}`, address, user };
}

/** An operator running a `latchkey` command. */
export const CLI_ACTOR: Actor = { actor: 'cli', address: null, user: null };

/** The start-up configuration (LATCHKEY_ADMIN_EMAIL creating the first administrator). */
export const CONFIG_ACTOR: Actor = { actor: 'config', address: null, user: null };

/** The fields an audit entry records of its actor (never the user record, with its password hash). */
export function auditActor(actor: Actor): { readonly actor: string; readonly address: string | null } {
  return { actor: actor.actor, address: actor.address };
}

/** Whether the actor sees and decides everything: a system administrator, or an operator. */
export function isAdmin(actor: Actor): boolean {
  return actor.user === null || actor.user.roles.includes('admin');
}

/** The user behind an actor, for what only a person can do (own a token, join a team); operators are refused. */
export function actingUser(actor: Actor, doing: string): User {
  if (actor.user === null) throw new DomainError('forbidden', `${doing} is for a signed-in user, not the command line`);
  return actor.user;
}

/** Refuses a disabled user, or one without `role`, with a message naming what is missing; operators pass. */
export function requireRole(actor: Actor, role: Role, doing: string): void {
  const { user } = actor;
  if (user === null) return;
  if (user.disabledAt !== null) throw new DomainError('forbidden', 'your account is disabled; ask an administrator');
  if (!user.roles.includes(role)) {
    throw new DomainError('forbidden', `${doing} needs the ${role} role, which you do not have; ask a system administrator to grant it`);
  }
}
