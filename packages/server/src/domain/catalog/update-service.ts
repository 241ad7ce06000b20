import { auditActor, type Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import type { CreateServiceDeps } from './create-service.js';
import { validateAudiences, validateBaseUrls, validateScopeNames, type Service, type ServiceScope } from './service.js';

/** The fields of a service an edit may change. */
export interface ServiceChanges {
  readonly name?: string;
  readonly description?: string;
  /** The complete new list: a scope left out stops being granted in new tokens. */
  readonly scopes?: readonly ServiceScope[];
  readonly audiences?: Readonly<Record<string, string>>;
  readonly baseUrls?: Readonly<Record<string, string>>;
}

export interface UpdateServiceInput extends ServiceChanges {
  readonly actor: Actor;
  readonly key: string;
}

export interface ServiceKeyInput {
  readonly actor: Actor;
  readonly key: string;
}

async function change(
  deps: CreateServiceDeps,
  input: ServiceKeyInput,
  action: string,
  edit: (service: Service, now: number) => { service: Service; details: Record<string, unknown> },
): Promise<Service> {
  const { key } = input;
  return deps.storage.transaction(async (tx) => {
    const current = await tx.services.get(key);
    if (!current) throw new DomainError('not_found', `no service with key "${key}": GET /api/v1/services lists them`);
    const now = deps.clock.now();
    const { service, details } = edit(current, now);
    await tx.services.update(service);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action, target: `service:${key}`, details });
    return service;
  });
}

/** An administrator edits a service; only the fields given change. Clients' token caches follow at once. */
export async function updateService(deps: CreateServiceDeps, input: UpdateServiceInput): Promise<Service> {
  const { actor, key, ...changes } = input;
  throwIfInvalid([
    ...(changes.name !== undefined && changes.name.trim() === '' ? [{ field: 'name', message: 'a service needs a name' }] : []),
    ...(changes.scopes ? validateScopeNames(changes.scopes.map((s) => s.name)) : []),
    ...validateAudiences(changes.audiences ?? {}, deps.environments),
    ...validateBaseUrls(changes.baseUrls ?? {}, deps.environments),
  ]);
  return change(deps, { actor, key }, 'service.updated', (current, now) => ({
    service: {
      ...current,
      name: changes.name?.trim() ?? current.name,
      description: changes.description ?? current.description,
      scopes: changes.scopes?.map((s) => ({ name: s.name, description: s.description })) ?? current.scopes,
      audiences: changes.audiences ?? current.audiences,
      baseUrls: changes.baseUrls ?? current.baseUrls,
      updatedAt: now,
    },
    details: { fields: Object.keys(changes).filter((k) => changes[k as keyof ServiceChanges] !== undefined) },
  }));
}

/**
 * Retires a service: it leaves the catalog offered to new registrations and no new token covers it
 * (existing tokens run out within their short lifetime). Retiring twice is a 409.
 */
export async function retireService(deps: CreateServiceDeps, input: ServiceKeyInput): Promise<Service> {
  return change(deps, input, 'service.retired', (current, now) => {
    if (current.retiredAt !== null) throw new DomainError('conflict', `service "${input.key}" was retired already`);
    return { service: { ...current, retiredAt: now, updatedAt: now }, details: {} };
  });
}
