import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { auditActor, type Actor } from '../actor.js';
import { requireMembership } from './require-membership.js';

/**
 * A member removes another member. Never themselves (`forbidden`: a team must not lose its last member
 * by accident, and leaving is for another member to do), and never the last member (`conflict`).
 */
export async function removeMember(
  deps: { readonly storage: Pick<Storage, 'applications' | 'members' | 'transaction'>; readonly clock: Clock },
  input: { readonly actor: Actor; readonly acronym: string; readonly userId: string },
): Promise<void> {
  const { actor } = input;
  const application = await requireMembership(deps.storage, actor, input.acronym);
  if (input.userId === actor.user?.id) {
    throw new DomainError('forbidden', `you cannot remove yourself from ${application.acronym}; ask another member to remove you`);
  }
  const now = deps.clock.now();
  await deps.storage.transaction(async (tx) => {
    const outcome = await tx.members.remove(application.id, input.userId);
    if (outcome === 'not_member') throw new DomainError('not_found', `user ${input.userId} is not a member of ${application.acronym}`);
    if (outcome === 'last_member') throw new DomainError('conflict', `user ${input.userId} is the last member of ${application.acronym}; invite someone else first`);
    await tx.audit.append({ at: now, ...auditActor(actor), action: 'member.removed', target: `application:${application.acronym}`, details: { user_id: input.userId } });
  });
}
