import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Actor } from '../audit/audit-event.js';
import { throwIfInvalid } from '../catalog/service.js';
import { ACRONYM, normaliseAcronym, type Application, type ApplicationStatus } from './application.js';

export interface CreateApplicationInput {
  readonly acronym: string;
  readonly name?: string;
  readonly description?: string;
  readonly status: ApplicationStatus;
}

/** A new application record from validated input (shared by the CLI's create and a user's request). */
export function newApplication(input: CreateApplicationInput, now: number, requestedBy: string | null): Application {
  const acronym = normaliseAcronym(input.acronym);
  throwIfInvalid(ACRONYM.test(acronym) ? [] : [{ field: 'acronym', message: 'an acronym is 2-16 letters or digits' }]);
  return {
    id: randomUUID(),
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

export async function createApplication(
  deps: { readonly storage: Storage; readonly clock: Clock },
  actor: Actor,
  input: CreateApplicationInput,
): Promise<Application> {
  const now = deps.clock.now();
  const application = newApplication(input, now, null);
  await deps.storage.transaction(async (tx) => {
    await tx.applications.create(application);
    await tx.audit.append({ at: now, ...actor, action: 'application.created', target: `application:${application.acronym}`, details: { status: input.status } });
  });
  return application;
}
