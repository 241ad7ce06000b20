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

export async function createApplication(
  deps: { readonly storage: Storage; readonly clock: Clock },
  actor: Actor,
  input: CreateApplicationInput,
): Promise<Application> {
  const acronym = normaliseAcronym(input.acronym);
  throwIfInvalid(ACRONYM.test(acronym) ? [] : [{ field: 'acronym', message: 'an acronym is 2-16 letters or digits' }]);
  const now = deps.clock.now();
  const application: Application = {
    id: randomUUID(),
    acronym,
    name: input.name?.trim() || acronym,
    description: input.description?.trim() ?? '',
    status: input.status,
    createdAt: now,
    updatedAt: now,
  };
  await deps.storage.transaction(async (tx) => {
    await tx.applications.create(application);
    await tx.audit.append({ at: now, ...actor, action: 'application.created', target: `application:${acronym}`, details: { status: input.status } });
  });
  return application;
}
