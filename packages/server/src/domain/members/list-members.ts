import type { Storage } from '../storage.js';
import type { Actor } from '../actor.js';
import { requireMembership } from './require-membership.js';
import type { Member } from './member.js';

/** The members of an application, earliest first, for its members and administrators. */
export async function listMembers(deps: { readonly storage: Pick<Storage, 'applications' | 'members'> }, input: { readonly actor: Actor; readonly acronym: string }): Promise<Member[]> {
  const application = await requireMembership(deps.storage, input.actor, input.acronym);
  return deps.storage.members.list(application.id);
}
