import type { Actor } from '../audit/audit-event.js';
import { DomainError } from '../errors.js';
import type { CreateServiceDeps } from './create-service.js';
import { throwIfInvalid, validateAudiences, validateBaseUrls, validateScopeNames, type Service, type ServiceScope } from './service.js';

export interface UpdateServiceInput {
  readonly name?: string;
  readonly description?: string;
  /** The complete new list: a scope left out stops being granted in new tokens. */
  readonly scopes?: readonly ServiceScope[];
  readonly audiences?: Readonly<Record<string, string>>;
  readonly baseUrls?: Readonly<Record<string, string>>;
}

async function change(
  deps: CreateServiceDeps,
  actor: Actor,
  key: string,
  action: string,
  edit: (service: Service, now: number) => { service: Service; details: Record<string, unknown> },
): Promise<Service> {
  return deps.storage.transaction(async (tx) => {
    const current = await tx.services.get(key);
    if (!current) throw new DomainError('not_found', `no service with key "${key}": GET /api/v1/services lists them`);
    const now = deps.clock.now();
    const { service, details } = edit(current, now);
    await tx.services.update(service);
    await tx.audit.append({ at: now, ...actor, action, target: `service:${key}`, details });
    return service;
  });
}

/** An administrator edits a service; only the fields given change. Clients' token caches follow at once. */
export async function updateService(deps: CreateServiceDeps, actor: Actor, key: string, input: UpdateServiceInput): Promise<Service> {
  throwIfInvalid([
    ...(input.name !== undefined && input.name.trim() === '' ? [{ field: 'name', message: 'a service needs a name' }] : []),
    ...(input.scopes ? validateScopeNames(input.scopes.map((s) => s.name)) : []),
    ...validateAudiences(input.audiences ?? {}, deps.environments),
    ...validateBaseUrls(input.baseUrls ?? {}, deps.environments),
  ]);
  return change(deps, actor, key, 'service.updated', (current, now) => ({
    service: {
      ...current,
      name: input.name?.trim() ?? current.name,
      description: input.description ?? current.description,
      scopes: input.scopes?.map((s) => ({ name: s.name, description: s.description })) ?? current.scopes,
      audiences: input.audiences ?? current.audiences,
      baseUrls: input.baseUrls ?? current.baseUrls,
      updatedAt: now,
    },
    details: { fields: Object.keys(input).filter((k) => input[k as keyof UpdateServiceInput] !== undefined) },
  }));
}

/**
 * Retires a service: it leaves the catalog offered to new registrations and no new token covers it
 * (existing tokens run out within their short lifetime). Retiring twice is a 409.
 */
export async function retireService(deps: CreateServiceDeps, actor: Actor, key: string): Promise<Service> {
  return change(deps, actor, key, 'service.retired', (current, now) => {
    if (current.retiredAt !== null) throw new DomainError('conflict', `service "${key}" was retired already`);
    return { service: { ...current, retiredAt: now, updatedAt: now }, details: {} };
  });
}
