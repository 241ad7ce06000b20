import type { Storage } from '../storage.js';
import type { TeamActor } from '../members/team-actor.js';
import { requireMembership } from '../members/require-membership.js';
import { environmentViews, type EnvironmentView } from '../environments/environment-view.js';
import type { Application } from './application.js';

export interface ApplicationDetails {
  readonly application: Application;
  readonly environments: EnvironmentView[];
  /** The environment to register next (in order), or null: all registered, or one waits for approval. */
  readonly nextEnvironment: EnvironmentView | null;
}

/** One application, for its members and administrators, with every environment in configured order. */
export async function getApplication(
  deps: { readonly storage: Storage; readonly environments: readonly string[]; readonly approvalEnvironments: readonly string[] },
  actor: TeamActor,
  input: { readonly acronym: string },
): Promise<ApplicationDetails> {
  const application = await requireMembership(deps.storage, actor, input.acronym);
  const [registrations, clients] = await Promise.all([
    deps.storage.registrations.list(application.id),
    deps.storage.clients.list({ acronym: application.acronym }),
  ]);
  const environments = environmentViews(deps.environments, deps.approvalEnvironments, registrations, clients);
  const next = environments.find((e) => e.status !== 'approved');
  return { application, environments, nextEnvironment: next && next.status !== 'pending' ? next : null };
}
