import type { Storage } from '../storage.js';
import type { Service } from '../catalog/service.js';
import { serviceAudience } from '../catalog/service.js';
import type { Client } from './client.js';

/** What a client may get a token for: one service's audience in the client's environment and its scopes. */
export interface Entitlement {
  readonly service: string;
  readonly audience: string;
  readonly scopes: readonly string[];
}

/** A client with everything issuing a token needs, computed once per cache fill. */
export interface ResolvedClient {
  readonly client: Client;
  /** Granted services that are still in the catalog (retired ones drop out). */
  readonly entitlements: readonly Entitlement[];
}

/**
 * The in-memory client cache behind the token hot path. Entries (and misses, so that a stream of unknown
 * client ids does not turn into a stream of queries) stay until the change feed says the client, the
 * catalog or the applications changed. A fill that raced an invalidation is not kept.
 */
export interface ClientDirectory {
  get(clientId: string): Promise<ResolvedClient | null>;
  /** The cached answer without waiting: the client, `null` for a cached miss, `undefined` when not cached. */
  cached(clientId: string): ResolvedClient | null | undefined;
  invalidate(clientId: string): void;
  clear(): void;
}

export function createClientDirectory(storage: Pick<Storage, 'clients' | 'services'>, options: { maxMisses?: number } = {}): ClientDirectory {
  const maxMisses = options.maxMisses ?? 10_000;
  const entries = new Map<string, ResolvedClient>();
  const misses = new Set<string>();
  const inFlight = new Map<string, Promise<ResolvedClient | null>>();
  let generation = 0;
  let services: Promise<Map<string, Service>> | null = null;

  const catalog = (): Promise<Map<string, Service>> => {
    services ??= storage.services.list().then((list) => new Map(list.map((s) => [s.key, s])));
    services.catch(() => {
      services = null;
    });
    return services;
  };

  async function load(clientId: string, startedAt: number): Promise<ResolvedClient | null> {
    let [client, byKey] = await Promise.all([storage.clients.get(clientId), catalog()]);
    // A grant naming a service the cached catalog lacks: the catalog is older than the client (the change
    // feed has not caught up yet). Read it again rather than silently dropping the grant.
    if (client?.grants.some((g) => !byKey.has(g.service))) {
      services = null;
      byKey = await catalog();
    }
    const resolved = client ? resolve(client, byKey) : null;
    if (startedAt === generation) {
      if (resolved) entries.set(clientId, resolved);
      else {
        if (misses.size >= maxMisses) misses.delete(misses.values().next().value as string);
        misses.add(clientId);
      }
    }
    return resolved;
  }

  return {
    cached(clientId) {
      return entries.get(clientId) ?? (misses.has(clientId) ? null : undefined);
    },
    get(clientId) {
      const hit = entries.get(clientId);
      if (hit) return Promise.resolve(hit);
      if (misses.has(clientId)) return Promise.resolve(null);
      let pending = inFlight.get(clientId);
      if (!pending) {
        pending = load(clientId, generation).finally(() => inFlight.delete(clientId));
        inFlight.set(clientId, pending);
      }
      return pending;
    },
    invalidate(clientId) {
      generation++;
      entries.delete(clientId);
      misses.delete(clientId);
      inFlight.delete(clientId);
    },
    clear() {
      generation++;
      entries.clear();
      misses.clear();
      inFlight.clear();
      services = null;
    },
  };
}

function resolve(client: Client, services: ReadonlyMap<string, Service>): ResolvedClient {
  const entitlements: Entitlement[] = [];
  for (const grant of client.grants) {
    const service = services.get(grant.service);
    if (!service || service.retiredAt !== null) continue;
    const defined = new Set(service.scopes.map((s) => s.name));
    entitlements.push({
      service: service.key,
      audience: serviceAudience(service, client.env),
      scopes: grant.scopes.filter((s) => defined.has(s)),
    });
  }
  return { client, entitlements };
}
