import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { auditActor, requireRole, type Actor } from '../actor.js';
import { isRole, ROLES, type Role, type User } from './user.js';

export interface SetUserRolesInput {
  readonly actor: Actor;
  readonly userId: string;
  readonly roles: readonly string[];
}

export interface SetUserRolesResult {
  readonly user: User;
  readonly granted: readonly Role[];
  readonly removed: readonly Role[];
}

function parseRoles(roles: readonly string[]): Role[] {
  throwIfInvalid(
    roles.flatMap((role, i) => [
      ...(isRole(role) ? [] : [{ field: `roles[${i}]`, message: `unknown role "${role}"; roles are ${ROLES.join(', ')}` }]),
      ...(roles.indexOf(role) !== i ? [{ field: `roles[${i}]`, message: `role "${role}" is listed twice` }] : []),
    ]),
  );
  // Stored in the catalogue's order, so equal sets compare equal.
  return ROLES.filter((r) => roles.includes(r));
}

/**
 * An administrator replaces a user's roles. The change is one transaction under the store-wide lock, so two
 * administrators demoting each other at once cannot leave the system without one: a change that would
 * remove the last enabled administrator is refused. Every grant and removal is audited. The portal re-reads
 * the user on every request and introspection reads through, so the change holds on the next request in
 * every instance.
 */
export async function setUserRoles(
  deps: { readonly storage: Pick<Storage, 'transaction'>; readonly clock: Clock },
  input: SetUserRolesInput,
): Promise<SetUserRolesResult> {
  // A portal user must be an administrator; an operator at the command line is trusted.
  const { actor } = input;
  requireRole(actor, 'admin', 'changing roles');
  const roles = parseRoles(input.roles);
  const now = deps.clock.now();
  return deps.storage.transaction(async (tx) => {
    await tx.lockExclusive();
    const target = await tx.users.get(input.userId);
    if (!target) throw new DomainError('not_found', `no user with id ${input.userId}`);
    const granted = roles.filter((r) => !target.roles.includes(r));
    const removed = target.roles.filter((r) => !roles.includes(r));
    if (removed.includes('admin') && target.disabledAt === null && (await tx.users.countWithRole('admin')) <= 1) {
      throw new DomainError(
        'conflict',
        target.id === actor.user?.id
          ? 'you are the last administrator: grant admin to someone else before removing it from yourself'
          : 'this user is the last administrator: grant admin to someone else first',
      );
    }
    await tx.users.setRoles(target.id, roles);
    for (const [action, list] of [['user.role_granted', granted], ['user.role_removed', removed]] as const) {
      for (const role of list) {
        await tx.audit.append({ at: now, ...auditActor(actor), action, target: `user:${target.id}`, details: { role, email: target.email, roles } });
      }
    }
    return { user: { ...target, roles }, granted, removed };
  });
}
