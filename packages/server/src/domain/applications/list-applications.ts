import type { Storage } from '../storage.js';
import type { TeamActor } from '../members/team-actor.js';
import type { Application, ApplicationStatus } from './application.js';

export interface ListApplicationsInput {
  readonly limit: number;
  /** The acronym the previous page ended with. */
  readonly after?: string;
  readonly status?: ApplicationStatus;
}

/** Administrators see every application, everyone else the ones they are a member of; by acronym. */
export async function listApplications(
  deps: { readonly storage: Storage },
  actor: TeamActor,
  input: ListApplicationsInput,
): Promise<{ items: Application[]; next: string | null }> {
  const rows = await deps.storage.applications.page({
    limit: input.limit + 1,
    ...(input.after === undefined ? {} : { after: input.after.toUpperCase() }),
    ...(input.status === undefined ? {} : { status: input.status }),
    ...(actor.admin ? {} : { memberId: actor.userId }),
  });
  const items = rows.slice(0, input.limit);
  return { items, next: rows.length > input.limit ? (items.at(-1)?.acronym ?? null) : null };
}
