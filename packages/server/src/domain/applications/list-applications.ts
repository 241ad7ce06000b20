import type { Storage } from '../storage.js';
import { actingUser, isAdmin, type Actor } from '../actor.js';
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
