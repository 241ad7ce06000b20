import type { Storage } from '../storage.js';
import type { Actor } from '../actor.js';
import { requireMembership } from '../members/require-membership.js';
import { environmentViews, type EnvironmentView } from '../environments/environment-view.js';
import type { Application } from './application.js';

/** Who asked for an application or an environment: what an administrator deciding it needs to see. */
export interface Requester {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface RequestedEnvironment extends EnvironmentView {
  /** Who registered it (null: made at the command line, or never asked for). */
  readonly requester: Requester | null;
}

export interface ApplicationDetails {
  readonly application: Application;
  /** Who requested the application (null when an operator created it at the command line). */
  readonly requester: Requester | null;
  readonly environments: RequestedEnvironment[];
  /** The environment to register next (in order), or null: all registered, or one waits for approval. */
  readonly nextEnvironment: EnvironmentView | null;
}

/** One application, for its members and administrators, with every environment in configured order. */
export interface GetApplicationDeps {
  readonly storage: Pick<Storage, 'applications' | 'members' | 'registrations' | 'clients' | 'users'>;
  readonly environments: readonly string[];
  readonly approvalEnvironments: readonly string[];
}

export async function getApplication(deps: GetApplicationDeps, input: { readonly actor: Actor; readonly acronym: string }): Promise<ApplicationDetails> {
  const application = await requireMembership(deps.storage, input.actor, input.acronym);
  const [registrations, clients] = await Promise.all([
    deps.storage.registrations.list(application.id),
    deps.storage.clients.list({ acronym: application.acronym }),
  ]);
  const requesterOf = await requesters(deps.storage, [application.requestedBy, ...registrations.map((r) => r.requestedBy)]);
  const environments = environmentViews(deps.environments, deps.approvalEnvironments, registrations, clients).map((view) => ({
    ...view,
    requester: requesterOf(view.registration?.requestedBy ?? null),
  }));
  const next = environments.find((e) => e.status !== 'approved');
  return { application, requester: requesterOf(application.requestedBy), environments, nextEnvironment: next && next.status !== 'pending' ? next : null };
}

/** Reads each distinct user once (an application and its few environments name one or two people). */
async function requesters(storage: Pick<Storage, 'users'>, ids: readonly (string | null)[]): Promise<(id: string | null) => Requester | null> {
  const distinct = [...new Set(ids.filter((id): id is string => id !== null))];
  const users = await Promise.all(distinct.map((id) => storage.users.get(id)));
  const byId = new Map(users.flatMap((u) => (u ? [[u.id, { id: u.id, name: u.name, email: u.email }] as const] : [])));
  return (id) => (id === null ? null : (byId.get(id) ?? null));
}
