import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { auditActor, requireRole, type Actor } from '../actor.js';
import type { User } from './user.js';

/**
 * An administrator disables (or re-enables) a user: a disabled user's sessions and personal access tokens
 * stop working on their next use. Disabling the last enabled administrator, or yourself, is refused.
 */
export async function setUserDisabled(
  deps: { readonly storage: Pick<Storage, 'transaction'>; readonly clock: Clock },
  input: { readonly actor: Actor; readonly userId: string; readonly disabled: boolean },
): Promise<User> {
  requireRole(input.actor, 'admin', 'disabling users');
  if (input.disabled && input.userId === input.actor.user?.id) throw new DomainError('conflict', 'you cannot disable yourself; ask another administrator');
  const now = deps.clock.now();
  return deps.storage.transaction(async (tx) => {
    await tx.lockExclusive();
    const target = await tx.users.get(input.userId);
    if (!target) throw new DomainError('not_found', `no user with id ${input.userId}`);
    if ((target.disabledAt !== null) === input.disabled) return target;
    if (input.disabled && target.roles.includes('admin') && (await tx.users.countWithRole('admin')) <= 1) {
      throw new DomainError('conflict', 'this user is the last administrator: grant admin to someone else first');
    }
    const disabledAt = input.disabled ? now : null;
    await tx.users.setDisabled(target.id, disabledAt);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: input.disabled ? 'user.disabled' : 'user.enabled', target: `user:${target.id}`, details: { email: target.email } });
    return { ...target, disabledAt };
  });
}
