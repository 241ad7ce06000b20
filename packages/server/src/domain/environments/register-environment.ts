import type { ServerKeyring } from '../secrets/server-key.js';
import type { Client } from '../clients/client.js';
import type { TeamDeps } from '../applications/request-application.js';
import { DomainError, type FieldIssue } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { newClient, resolveGrants } from '../clients/create-client.js';
import { actingUser, auditActor, type Actor } from '../actor.js';
import { requireMembership } from '../members/require-membership.js';
import { mailRole, reviewUrl } from '../members/team-mail.js';
import { environmentViews } from './environment-view.js';
import { normaliseEnv, type EnvironmentRegistration, type ServiceRequest } from './environment-registration.js';

export interface RegisterEnvironmentInput {
  readonly actor: Actor;
  readonly acronym: string;
  readonly env: string;
  readonly name?: string;
  readonly description?: string;
  readonly services: readonly ServiceRequest[];
}

export interface EnvironmentDeps extends TeamDeps {
  readonly serverKeys: ServerKeyring;
  /** Configured order, first to last (LATCHKEY_ENVIRONMENTS). */
  readonly environments: readonly string[];
  /** Environments that wait for an administrator (LATCHKEY_APPROVAL_ENVIRONMENTS). */
  readonly approvalEnvironments: readonly string[];
}

export type RegisteredEnvironment =
  | { readonly status: 'approved'; readonly registration: EnvironmentRegistration; readonly client: Client; readonly clientSecret: string; readonly tokenEndpoint: string }
  | { readonly status: 'pending'; readonly registration: EnvironmentRegistration };

export function tokenEndpointOf(issuer: string): string {
  return `${issuer}/oauth/token`;
}

const TEXT_MAX = 2000;

export function textIssues(input: { readonly name?: string; readonly description?: string }): FieldIssue[] {
  return (['name', 'description'] as const).flatMap((field) =>
    (input[field]?.length ?? 0) > TEXT_MAX ? [{ field, message: `${field} is at most ${TEXT_MAX} characters` }] : [],
  );
}

/**
 * A member registers the application's next environment, in configured order. Where no approval is
 * needed the client is created at once and its secret returned this once; otherwise the registration
 * waits for an administrator, who is told by mail. Two members registering the same environment at once:
 * one succeeds, the other gets `conflict` (the registration and the client are unique per environment).
 */
export async function registerEnvironment(deps: EnvironmentDeps, request: RegisterEnvironmentInput): Promise<RegisteredEnvironment> {
  const input = { ...request, env: normaliseEnv(request.env) };
  const { actor } = input;
  const requester = actingUser(actor, 'registering an environment');
  const application = await requireMembership(deps.storage, actor, input.acronym);
  const index = deps.environments.indexOf(input.env);
  if (index < 0) throw new DomainError('not_found', `no environment "${input.env}"; the environments are ${deps.environments.join(', ')}`);
  throwIfInvalid([...textIssues(input), ...(input.services.length === 0 ? [{ field: 'services', message: 'pick at least one service from the catalog' }] : [])]);
  if (application.status !== 'approved') {
    throw new DomainError('conflict', `application ${application.acronym} is ${application.status}; it needs an administrator's approval before environments can be registered`);
  }
  const views = environmentViews(
    deps.environments,
    deps.approvalEnvironments,
    await deps.storage.registrations.list(application.id),
    await deps.storage.clients.list({ acronym: application.acronym }),
  );
  const current = views[index];
  if (current?.status === 'approved') throw new DomainError('conflict', `${input.env} is registered already; regenerate its secret instead`);
  if (current?.status === 'pending') throw new DomainError('conflict', `${input.env} is registered already and waits for an administrator's approval`);
  const missing = views.slice(0, index).find((v) => v.status !== 'approved');
  if (missing) {
    const why = missing.status === 'pending' ? `${missing.env} still waits for approval` : `register ${missing.env} first`;
    throw new DomainError('conflict', `${why}: environments are registered in order (${deps.environments.join(', ')})`);
  }
  const grants = await resolveGrants(deps.storage, input.services);

  const now = deps.clock.now();
  const needsApproval = deps.approvalEnvironments.includes(input.env);
  const created = needsApproval ? null : newClient(deps, { application, env: input.env, grants, now });
  const registration: EnvironmentRegistration = {
    id: deps.random.uuid(),
    applicationId: application.id,
    env: input.env,
    status: created ? 'approved' : 'pending',
    name: input.name?.trim() ?? '',
    description: input.description?.trim() ?? '',
    services: grants.map((g) => ({ key: g.service, scopes: g.scopes })),
    requestedBy: requester.id,
    requestedAt: now,
    decidedBy: created ? requester.id : null,
    decidedAt: created ? now : null,
    reason: null,
    clientId: created?.client.clientId ?? null,
  };
  await deps.storage.transaction(async (tx) => {
    await tx.registrations.open(registration);
    if (created) await tx.clients.create(created.client);
    await tx.audit.append({
      at: now,
      ...auditActor(actor),
      action: created ? 'environment.registered' : 'environment.requested',
      target: `application:${application.acronym}`,
      details: { env: input.env, client_id: registration.clientId, grants },
    });
    if (created) return;
    await mailRole(
      tx,
      'admin',
      (admin) => ({
        to: admin.email,
        subject: `${application.acronym} asks for ${input.env} credentials`,
        kind: 'environment.requested',
        content: {
          greeting: `Hello ${admin.name},`,
          paragraphs: [
            `${requester.name} (${requester.email}), a member of ${application.acronym}, registered the ${input.env} environment, which needs an administrator's approval.`,
            `Services: ${grants.map((g) => (g.scopes.length > 0 ? `${g.service} (${g.scopes.join(', ')})` : g.service)).join('; ')}.`,
            'Approve or reject it, with an optional reason for the requester, on its review page.',
          ],
          link: { label: `Review ${application.acronym} ${input.env.toUpperCase()}`, url: reviewUrl(deps.issuer, application.acronym, input.env) },
          footer: 'You receive this because you are a Latchkey administrator.',
        },
      }),
      { now, random: deps.random },
    );
  });
  return created
    ? { status: 'approved', registration, client: created.client, clientSecret: created.clientSecret, tokenEndpoint: tokenEndpointOf(deps.issuer) }
    : { status: 'pending', registration };
}
