import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import { throwIfInvalid } from '../validation.js';
import { validateAudiences, validateBaseUrls, validateScopeNames, validateServiceKey, type Service, type ServiceScope } from './service.js';

export interface CreateServiceInput {
  readonly actor: Actor;
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  readonly scopes: readonly ServiceScope[];
  readonly audiences?: Readonly<Record<string, string>>;
  readonly baseUrls?: Readonly<Record<string, string>>;
}

export interface CreateServiceDeps {
  readonly storage: Pick<Storage, 'transaction'>;
  readonly clock: Clock;
  readonly environments: readonly string[];
}

/** An administrator adds a service to the catalog with the scopes it defines. */
export async function createService(deps: CreateServiceDeps, input: CreateServiceInput): Promise<Service> {
  const audiences = input.audiences ?? {};
  throwIfInvalid([
    ...validateServiceKey(input.key),
    ...(input.name.trim() === '' ? [{ field: 'name', message: 'a service needs a name' }] : []),
    ...validateScopeNames(input.scopes.map((s) => s.name)),
    ...validateAudiences(audiences, deps.environments),
    ...validateBaseUrls(input.baseUrls ?? {}, deps.environments),
  ]);
  const now = deps.clock.now();
  const service: Service = {
    key: input.key,
    name: input.name.trim(),
    description: input.description ?? '',
    scopes: input.scopes.map((s) => ({ name: s.name, description: s.description })),
    audiences,
    baseUrls: input.baseUrls ?? {},
    createdAt: now,
    updatedAt: now,
    retiredAt: null,
  };
  await deps.storage.transaction(async (tx) => {
    await tx.services.create(service);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'service.created', target: `service:${service.key}`, details: { scopes: service.scopes.map((s) => s.name) } });
  });
  return service;
}
