import type { Storage } from '../storage.js';
import type { TeamActor } from './team-actor.js';
import { requireMembership } from './require-membership.js';
import type { Member } from './member.js';

/** The members of an application, earliest first, for its members and administrators. */
export async function listMembers(deps: { readonly storage: Storage }, actor: TeamActor, input: { readonly acronym: string }): Promise<Member[]> {
  const application = await requireMembership(deps.storage, actor, input.acronym);
  return deps.storage.members.list(application.id);
}
