import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import type { Application } from '../applications/application.js';
import { DomainError } from '../errors.js';
import { isWellFormedSecret } from '../secrets/generated-secret.js';
import { actingUser, auditActor, type Actor } from '../actor.js';

/**
 * The invited user joins the application: only with the invited address, once, before it expires.
 * Accepting the same invitation twice at once adds one membership (the invitation is marked accepted
 * under the store's write lock; the loser gets `conflict`).
 */
export async function acceptInvitation(
  deps: { readonly storage: Pick<Storage, 'invitations' | 'transaction'>; readonly clock: Clock; readonly serverKeys: ServerKeyring },
  input: { readonly actor: Actor; readonly token: string },
): Promise<Application> {
  const user = actingUser(input.actor, 'accepting an invitation');
  const unknown = new DomainError('not_found', 'no such invitation; check the link in the mail');
  if (!isWellFormedSecret('invitation', input.token)) throw unknown;
  const invitation = await deps.storage.invitations.getByTokenHash(deps.serverKeys.hash(input.token));
  if (!invitation) throw unknown;
  const now = deps.clock.now();
  if (invitation.acceptedAt !== null) throw new DomainError('conflict', 'this invitation was used already; ask a member for a new one');
  if (invitation.expiresAt <= now) throw new DomainError('conflict', `this invitation expired on ${new Date(invitation.expiresAt).toISOString()}; ask a member for a new one`);
  if (user.email !== invitation.email) {
    throw new DomainError('forbidden', `this invitation is for another email address; sign in as the invited user (you are signed in as ${user.email})`);
  }
  return deps.storage.transaction(async (tx) => {
    if (!(await tx.invitations.markAccepted(invitation.id, user.id, now))) {
      throw new DomainError('conflict', 'this invitation was used already; ask a member for a new one');
    }
    await tx.members.add({ applicationId: invitation.applicationId, userId: user.id, role: 'member', joinedAt: now });
    const application = await tx.applications.get(invitation.applicationId);
    if (!application) throw new DomainError('not_found', 'the application of this invitation no longer exists');
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'member.joined', target: `application:${application.acronym}`, details: { invitation_id: invitation.id } });
    return application;
  });
}
