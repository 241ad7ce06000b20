import type { Storage } from '../storage.js';
import type { Service } from '../catalog/service.js';
import { serviceAudience } from '../catalog/service.js';
import type { Client } from './client.js';
import { createBoundedCache } from '../bounded-cache.js';
import { createVerifiedSecrets, type VerifiedSecrets } from './verified-secrets.js';

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
  /** Secrets this entry has already checked, dropped with it (a change to the client makes a new entry). */
  readonly verified: VerifiedSecrets;
}

export interface ClientDirectoryOptions {
  /** How many clients stay cached (default 1,000,000: about 1 KB each, so a million clients take about a gigabyte). */
  readonly capacity?: number;
  /** How many unknown client ids are remembered as such (default: a tenth of the capacity, at least 1,000). */
  readonly missCapacity?: number;
}

export const DEFAULT_CLIENT_CACHE_SIZE = 1_000_000;

/**
 * The in-memory client cache behind the token hot path: filled at start-up by `warm` (the most recently
 * used clients, up to the capacity) and on demand, where a cold client costs one read of the client (the
 * catalog is read once and kept).
 *
 * Both the clients and the misses (so that a stream of unknown client ids does not turn into a stream of
 * queries) are bounded caches with a segmented LRU policy (`bounded-cache.ts`), kept apart: unknown ids
 * can only push out other unknown ids, and clients seen once only other clients seen once, never the hot
 * ones. Entries stay until evicted or until the change feed says the client, the catalog or the
 * applications changed. A fill that raced an invalidation is not kept.
 */
export interface ClientDirectory {
  get(clientId: string): Promise<ResolvedClient | null>;
  /** The cached answer without waiting: the client, `null` for a cached miss, `undefined` when not cached. */
  cached(clientId: string): ResolvedClient | null | undefined;
  invalidate(clientId: string): void;
  /** Drops the cached clients of one application. */
  invalidateApplication(applicationId: string): void;
  /**
   * The catalog changed: reads it again and resolves the cached clients against it, keeping them (their
   * own records did not change), rather than dropping them all and reading each again. Until it resolves
   * the old entitlements are served, as before any change arrives; the change feed's `settled()` waits for
   * it. A failed read empties the cache, so nothing stale outlives it, and rejects.
   */
  refreshCatalog(): Promise<void>;
  clear(): void;
  /** How many clients and unknown ids are cached now. */
  size(): { readonly clients: number; readonly misses: number };
  /**
   * Fills the cache at start-up, before the clients ask: up to its capacity, the most recently used
   * first, a page of `pageSize` clients (default `WARM_PAGE`) per query, yielding to the event loop between pages so tokens
   * are served meanwhile (a client asked for before its page arrives is read on its own, as usual).
   * Clients already cached are left as they are, and a page read while a change arrived is dropped (its
   * clients are read when they ask). Resolves to how many clients it added; `progress` hears after each
   * page; an aborted `signal` stops it between pages.
   */
  warm(options?: { readonly progress?: (loaded: number, total: number) => void; readonly signal?: AbortSignal; readonly pageSize?: number }): Promise<number>;
}

/** Clients read per query when warming the cache. */
export const WARM_PAGE = 500;

export function createClientDirectory(storage: Pick<Storage, 'clients' | 'services'>, options: ClientDirectoryOptions = {}): ClientDirectory {
  const capacity = options.capacity ?? DEFAULT_CLIENT_CACHE_SIZE;
  const entries = createBoundedCache<string, ResolvedClient>(capacity);
  const misses = createBoundedCache<string, true>(options.missCapacity ?? Math.max(1_000, Math.floor(capacity / 10)));
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
      else misses.set(clientId, true);
    }
    return resolved;
  }

  const cached = (clientId: string): ResolvedClient | null | undefined =>
    entries.get(clientId) ?? (misses.get(clientId) ? null : undefined);

  const clear = (): void => {
    generation++;
    entries.clear();
    misses.clear();
    inFlight.clear();
    services = null;
  };

  return {
    cached,
    get(clientId) {
      const hit = cached(clientId);
      if (hit !== undefined) return Promise.resolve(hit);
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
    invalidateApplication(applicationId) {
      generation++;
      inFlight.clear();
      for (const [clientId, resolved] of entries.entries()) {
        if (resolved.client.applicationId === applicationId) entries.delete(clientId);
      }
    },
    async refreshCatalog() {
      generation++;
      inFlight.clear();
      services = null;
      let byKey: Map<string, Service>;
      try {
        byKey = await catalog();
      } catch (error) {
        clear();
        throw error;
      }
      for (const [clientId, { client, verified }] of entries.entries()) {
        entries.replace(clientId, { ...resolve(client, byKey), verified });
      }
    },
    clear,
    size: () => ({ clients: entries.size, misses: misses.size }),
    async warm(options = {}) {
      const ids = await storage.clients.recentlyUsedIds(capacity);
      const page = options.pageSize ?? WARM_PAGE;
      let added = 0;
      for (let from = 0; from < ids.length && !options.signal?.aborted; from += page) {
        const startedAt = generation;
        const [clients, byKey] = await Promise.all([storage.clients.getMany(ids.slice(from, from + page)), catalog()]);
        if (startedAt === generation) {
          for (const client of clients) {
            // A grant the cached catalog lacks: left for its own read, which reads the catalog again.
            if (entries.has(client.clientId) || client.grants.some((g) => !byKey.has(g.service))) continue;
            entries.set(client.clientId, resolve(client, byKey));
            added++;
          }
        }
        options.progress?.(Math.min(from + page, ids.length), ids.length);
        await new Promise((done) => setImmediate(done));
      }
      return added;
    },
  };
}

// Clients with the same grants in the same environment share one entitlement list (per catalog read):
// the client store shares equal grant lists, so a million cached clients hold a few lists between them.
// Per grant list, a small object by environment name (a Map would cost more for the one or two there are).
const sharedEntitlements = new WeakMap<ReadonlyMap<string, Service>, WeakMap<Client['grants'], Record<string, readonly Entitlement[]>>>();

function entitlementsOf(client: Client, services: ReadonlyMap<string, Service>): readonly Entitlement[] {
  let byGrants = sharedEntitlements.get(services);
  if (!byGrants) sharedEntitlements.set(services, (byGrants = new WeakMap()));
  let byEnv = byGrants.get(client.grants);
  if (!byEnv) byGrants.set(client.grants, (byEnv = Object.create(null) as Record<string, readonly Entitlement[]>));
  let entitlements = byEnv[client.env];
  if (!entitlements) {
    const list: Entitlement[] = [];
    for (const grant of client.grants) {
      const service = services.get(grant.service);
      if (!service || service.retiredAt !== null) continue;
      const defined = new Set(service.scopes.map((s) => s.name));
      list.push({
        service: service.key,
        audience: serviceAudience(service, client.env),
        scopes: grant.scopes.filter((s) => defined.has(s)),
      });
    }
    byEnv[client.env] = entitlements = list;
  }
  return entitlements;
}

function resolve(client: Client, services: ReadonlyMap<string, Service>): ResolvedClient {
  return { client, entitlements: entitlementsOf(client, services), verified: createVerifiedSecrets() };
}
