import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { actingUser, auditActor, type Actor } from '../actor.js';
import type { Random } from '../random.js';
import { mailRole, reviewUrl } from '../members/team-mail.js';
import { newApplication } from './create-application.js';
import type { Application } from './application.js';

export interface RequestApplicationInput {
  readonly actor: Actor;
  readonly acronym: string;
  readonly name?: string;
  readonly description?: string;
}

export interface TeamDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  /** Base of every link in mail (LATCHKEY_ISSUER). */
  readonly issuer: string;
  /** Names new records and queued mail. */
  readonly random: Random;
}

/**
 * A user asks for an application account: it is `pending` until an administrator decides, the requester is
 * its first member (owner), and every administrator is told by mail. All in one transaction. A member of
 * a rejected application may request it again (same acronym): it goes back to `pending`.
 */
export async function requestApplication(deps: TeamDeps, input: RequestApplicationInput): Promise<Application> {
  const requester = actingUser(input.actor, 'requesting an application');
  const now = deps.clock.now();
  const fresh = newApplication(deps.random, { ...input, status: 'pending' }, now, requester.id);
  const existing = await deps.storage.applications.getByAcronym(fresh.acronym);
  const again = existing?.status === 'rejected' && (await deps.storage.members.get(existing.id, requester.id)) !== null ? existing : null;
  return deps.storage.transaction(async (tx) => {
    let application = fresh;
    if (again) {
      const reopened = await tx.applications.reopen(again.id, { name: fresh.name, description: fresh.description, requestedBy: requester.id, at: now });
      if (!reopened) throw new DomainError('conflict', `application ${fresh.acronym} was requested again already`);
      application = reopened;
    } else {
      await tx.applications.create(application);
      await tx.members.add({ applicationId: application.id, userId: requester.id, role: 'owner', joinedAt: now });
    }
    await tx.audit.append({
      at: now,
      ...auditActor(input.actor),
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
      { now, random: deps.random },
    );
    return application;
  });
}

/** What to pre-fill the next request with: the user's last request's name and description, or null. */
export async function getApplicationDraft(
  deps: { readonly storage: Pick<Storage, 'applications'> },
  input: { readonly actor: Actor },
): Promise<{ acronym: string; name: string; description: string; status: Application['status'] } | null> {
  const last = await deps.storage.applications.lastRequestedBy(actingUser(input.actor, 'pre-filling an application request').id);
  return last ? { acronym: last.acronym, name: last.name, description: last.description, status: last.status } : null;
}
