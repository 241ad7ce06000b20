import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import { throwIfInvalid } from '../validation.js';
import { ACRONYM, normaliseAcronym, type Application, type ApplicationStatus } from './application.js';

export interface NewApplicationInput {
  readonly acronym: string;
  readonly name?: string;
  readonly description?: string;
  readonly status: ApplicationStatus;
}

export interface CreateApplicationInput extends NewApplicationInput {
  readonly actor: Actor;
}

export interface CreateApplicationDeps {
  readonly storage: Pick<Storage, 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
}

/** A new application record from validated input (shared by the CLI's create and a user's request). */
export function newApplication(random: Random, input: NewApplicationInput, now: number, requestedBy: string | null): Application {
  const acronym = normaliseAcronym(input.acronym);
  throwIfInvalid(ACRONYM.test(acronym) ? [] : [{ field: 'acronym', message: 'an acronym is 2-16 letters or digits' }]);
  return {
    id: random.uuid(),
    acronym,
    name: input.name?.trim() || acronym,
    description: input.description?.trim() ?? '',
    status: input.status,
    createdAt: now,
    updatedAt: now,
    requestedBy,
    requestedAt: now,
    decisionReason: null,
    decidedBy: null,
    decidedAt: null,
  };
}

/** An operator creates an application, approved (or in whatever status they give) at once. */
export async function createApplication(deps: CreateApplicationDeps, input: CreateApplicationInput): Promise<Application> {
  const now = deps.clock.now();
  const application = newApplication(deps.random, input, now, null);
  await deps.storage.transaction(async (tx) => {
    await tx.applications.create(application);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'application.created', target: `application:${application.acronym}`, details: { status: input.status } });
  });
  return application;
}
