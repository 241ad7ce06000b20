import type { Client } from '../clients/client.js';
import { DomainError } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { newClient, resolveGrants } from '../clients/create-client.js';
import { REASON_MAX } from '../applications/decide-application.js';
import { actingUser, auditActor, type Actor } from '../actor.js';
import { findApplication, requireAdmin } from '../members/require-membership.js';
import { applicationUrl, sendTeamMail } from '../members/team-mail.js';
import type { EnvironmentDeps } from './register-environment.js';
import { normaliseEnv, type EnvironmentRegistration } from './environment-registration.js';

export interface DecideEnvironmentInput {
  readonly actor: Actor;
  readonly acronym: string;
  readonly env: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
}

/**
 * An administrator decides a pending environment registration. Approving creates the client without a
 * usable secret (nobody but the team may see one): a member generates it on the application's page.
 */
export async function decideEnvironment(
  deps: EnvironmentDeps,
  request: DecideEnvironmentInput,
): Promise<{ registration: EnvironmentRegistration; client: Client | null }> {
  const input = { ...request, env: normaliseEnv(request.env) };
  const { actor } = input;
  requireAdmin(actor, 'approve or reject environment registrations');
  const by = actingUser(actor, 'deciding an environment registration').id;
  const reason = input.reason?.trim() || null;
  throwIfInvalid(reason !== null && reason.length > REASON_MAX ? [{ field: 'reason', message: `a reason is at most ${REASON_MAX} characters` }] : []);
  const application = await findApplication(deps.storage, input.acronym);
  const pending = await deps.storage.registrations.get(application.id, input.env);
  if (pending?.status !== 'pending') {
    throw new DomainError('conflict', `${application.acronym} has no pending ${input.env} registration${pending ? ` (it is ${pending.status})` : ''}`);
  }
  const now = deps.clock.now();
  const approve = input.decision === 'approve';
  let client: Client | null = null;
  if (approve) {
    const grants = await resolveGrants(deps.storage, pending.services);
    client = { ...newClient(deps, { application, env: input.env, grants, now }).client, secrets: [] };
  }
  const status = approve ? 'approved' : 'rejected';
  const registration = await deps.storage.transaction(async (tx) => {
    const decided = await tx.registrations.decide(application.id, input.env, { status, by, at: now, reason, clientId: client?.clientId ?? null });
    if (!decided) throw new DomainError('conflict', `the ${input.env} registration of ${application.acronym} was decided already`);
    if (client) await tx.clients.create(client);
    await tx.audit.append({
      at: now,
      ...auditActor(actor),
      action: `environment.${status}`,
      target: `application:${application.acronym}`,
      details: { env: input.env, reason, client_id: client?.clientId ?? null },
    });
    const requester = decided.requestedBy === null ? null : await tx.users.get(decided.requestedBy);
    if (requester) {
      await sendTeamMail(
        tx,
        [
          {
            to: requester.email,
            subject: `${application.acronym} ${input.env} was ${status}`,
            kind: `environment.${status}`,
            content: {
              greeting: `Hello ${requester.name},`,
              paragraphs: [
                `An administrator ${status} the ${input.env} environment of ${application.acronym}.`,
                ...(reason ? [`Reason: ${reason}`] : []),
                approve ? 'Generate its client secret on the application page; it is shown once.' : 'You may register it again.',
              ],
              link: { label: `Open ${application.acronym}`, url: applicationUrl(deps.issuer, application.acronym) },
            },
          },
        ],
        { now, random: deps.random },
      );
    }
    return decided;
  });
  return { registration, client };
}
