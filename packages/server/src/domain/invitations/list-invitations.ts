import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Actor } from '../actor.js';
import { requireMembership } from '../members/require-membership.js';
import type { Invitation } from './invitation.js';

/** The application's open invitations (not accepted, not expired), newest first, for its members. */
export async function listInvitations(
  deps: { readonly storage: Pick<Storage, 'applications' | 'members' | 'invitations'>; readonly clock: Clock },
  input: { readonly actor: Actor; readonly acronym: string },
): Promise<Invitation[]> {
  const application = await requireMembership(deps.storage, input.actor, input.acronym);
  return deps.storage.invitations.listOpen(application.id, deps.clock.now());
}
