import type { Storage } from '../storage.js';
import { actingUser, isAdmin, type Actor } from '../actor.js';
import { environmentViews, type EnvironmentView } from '../environments/environment-view.js';
import type { Application, ApplicationStatus } from './application.js';

export interface ListApplicationsInput {
  readonly actor: Actor;
  readonly limit: number;
  /** The acronym the previous page ended with. */
  readonly after?: string;
  readonly status?: ApplicationStatus;
}

/** Administrators see every application, everyone else the ones they are a member of; by acronym, at most `limit`. */
export async function listApplications(deps: { readonly storage: Pick<Storage, 'applications'> }, input: ListApplicationsInput): Promise<Application[]> {
  return deps.storage.applications.page({
    limit: input.limit,
    ...(input.after === undefined ? {} : { after: input.after.toUpperCase() }),
    ...(input.status === undefined ? {} : { status: input.status }),
    ...(isAdmin(input.actor) ? {} : { memberId: actingUser(input.actor, 'listing applications').id }),
  });
}

/**
 * The environments of listed applications, by application id, so that a list shows where each stands
 * in one request. Two reads per application, all at once: a page holds at most a few hundred.
 */
export async function listEnvironmentsOf(
  deps: { readonly storage: Pick<Storage, 'registrations' | 'clients'>; readonly environments: readonly string[]; readonly approvalEnvironments: readonly string[] },
  applications: readonly Application[],
): Promise<Map<string, EnvironmentView[]>> {
  const views = await Promise.all(
    applications.map(async (application) => {
      const [registrations, clients] = await Promise.all([
        deps.storage.registrations.list(application.id),
        deps.storage.clients.list({ acronym: application.acronym }),
      ]);
      return [application.id, environmentViews(deps.environments, deps.approvalEnvironments, registrations, clients)] as const;
    }),
  );
  return new Map(views);
}
