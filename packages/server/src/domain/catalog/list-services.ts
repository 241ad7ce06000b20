import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';
import type { Service } from './service.js';

export interface CatalogDeps {
  readonly storage: Pick<Storage, 'services'>;
}

/** The catalog, ordered by key: the services in it, and retired ones too when asked for. */
export async function listServices(deps: CatalogDeps, input: { readonly includeRetired: boolean }): Promise<Service[]> {
  const services = await deps.storage.services.list();
  return input.includeRetired ? services : services.filter((s) => s.retiredAt === null);
}

/** One service, retired or not, or `not_found`. */
export async function getService(deps: CatalogDeps, input: { readonly key: string }): Promise<Service> {
  const service = await deps.storage.services.get(input.key);
  if (!service) throw new DomainError('not_found', `no service with key "${input.key}": GET /api/v1/services lists them`);
  return service;
}
