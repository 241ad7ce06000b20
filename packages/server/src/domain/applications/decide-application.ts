import { DomainError } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { actingUser, auditActor, type Actor } from '../actor.js';
import { findApplication, requireAdmin } from '../members/require-membership.js';
import { applicationUrl, sendTeamMail } from '../members/team-mail.js';
import type { TeamDeps } from './request-application.js';
import type { Application } from './application.js';

export interface DecideApplicationInput {
  readonly actor: Actor;
  readonly acronym: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
}

export const REASON_MAX = 2000;

/** An administrator approves or rejects a pending application; the requester is emailed a link either way. */
export async function decideApplication(deps: TeamDeps, input: DecideApplicationInput): Promise<Application> {
  const { actor } = input;
  requireAdmin(actor, 'approve or reject applications');
  const by = actingUser(actor, 'deciding an application').id;
  const reason = input.reason?.trim() || null;
  throwIfInvalid(reason !== null && reason.length > REASON_MAX ? [{ field: 'reason', message: `a reason is at most ${REASON_MAX} characters` }] : []);
  const application = await findApplication(deps.storage, input.acronym);
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  const now = deps.clock.now();
  return deps.storage.transaction(async (tx) => {
    const decided = await tx.applications.decide(application.id, { status, reason, by, at: now });
    if (!decided) {
      const current = (await tx.applications.getByAcronym(application.acronym))?.status ?? application.status;
      throw new DomainError('conflict', `application ${application.acronym} is ${current} already; only a pending request can be decided`);
    }
    await tx.audit.append({
      at: now,
      ...auditActor(actor),
      action: `application.${status}`,
      target: `application:${decided.acronym}`,
      details: { reason },
    });
    const requester = decided.requestedBy === null ? null : await tx.users.get(decided.requestedBy);
    if (requester) {
      const verdict = status === 'approved' ? 'approved' : 'rejected';
      await sendTeamMail(
        tx,
        [
          {
            to: requester.email,
            subject: `Your application ${decided.acronym} was ${verdict}`,
            kind: `application.${status}`,
            content: {
              greeting: `Hello ${requester.name},`,
              paragraphs: [
                `An administrator ${verdict} your request for the application ${decided.acronym} (${decided.name}).`,
                ...(reason ? [`Reason: ${reason}`] : []),
                status === 'approved'
                  ? 'You can now register its environments and get client credentials.'
                  : 'You may request an account again; your last request is pre-filled.',
              ],
              link: { label: `Open ${decided.acronym}`, url: applicationUrl(deps.issuer, decided.acronym) },
            },
          },
        ],
        { now, random: deps.random },
      );
    }
    return decided;
  });
}
