import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import type { TeamActor } from '../members/team-actor.js';
import { actorOf } from '../users/acting-user.js';
import { mailRole, reviewUrl } from '../members/team-mail.js';
import { newApplication } from './create-application.js';
import type { Application } from './application.js';

export interface RequestApplicationInput {
  readonly acronym: string;
  readonly name?: string;
  readonly description?: string;
}

export interface TeamDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  /** Base of every link in mail (LATCHKEY_ISSUER). */
  readonly issuer: string;
}

/**
 * A user asks for an application account: it is `pending` until an administrator decides, the requester is
 * its first member (owner), and every administrator is told by mail. All in one transaction. A member of
 * a rejected application may request it again (same acronym): it goes back to `pending`.
 */
export async function requestApplication(deps: TeamDeps, actor: TeamActor, input: RequestApplicationInput): Promise<Application> {
  const now = deps.clock.now();
  const fresh = newApplication({ ...input, status: 'pending' }, now, actor.user.id);
  const requester = actor.user;
  const existing = await deps.storage.applications.getByAcronym(fresh.acronym);
  const again = existing?.status === 'rejected' && (await deps.storage.members.get(existing.id, actor.user.id)) !== null ? existing : null;
  return deps.storage.transaction(async (tx) => {
    let application = fresh;
    if (again) {
      const reopened = await tx.applications.reopen(again.id, { name: fresh.name, description: fresh.description, requestedBy: actor.user.id, at: now });
      if (!reopened) throw new DomainError('conflict', `application ${fresh.acronym} was requested again already`);
      application = reopened;
    } else {
      await tx.applications.create(application);
      await tx.members.add({ applicationId: application.id, userId: actor.user.id, role: 'owner', joinedAt: now });
    }
    await tx.audit.append({
      at: now,
      ...actorOf(actor),
      action: 'application.requested',
      target: `application:${application.acronym}`,
      details: { name: application.name },
    });
    await mailRole(
      tx,
      'admin',
      (admin) => ({
        to: admin.email,
        subject: `Application ${application.acronym} waits for your approval`,
        kind: 'application.requested',
        content: {
          greeting: `Hello ${admin.name},`,
          paragraphs: [
            `${requester.name} (${requester.email}) requested an account for the application ${application.acronym} (${application.name}).`,
            ...(application.description ? [`Description: ${application.description}`] : []),
            'Approve or reject it, with an optional reason for the requester, on its review page.',
          ],
          link: { label: `Review ${application.acronym}`, url: reviewUrl(deps.issuer, application.acronym) },
          footer: 'You receive this because you are a Latchkey administrator.',
        },
      }),
      now,
    );
    return application;
  });
}

/** What to pre-fill the next request with: the user's last request's name and description, or null. */
export async function getApplicationDraft(
  deps: { readonly storage: Storage },
  actor: TeamActor,
): Promise<{ acronym: string; name: string; description: string; status: Application['status'] } | null> {
  const last = await deps.storage.applications.lastRequestedBy(actor.user.id);
  return last ? { acronym: last.acronym, name: last.name, description: last.description, status: last.status } : null;
}
