import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from './storage/database.js';
import { createSqlStorage } from './storage/sql-storage.js';
import type { Storage } from './domain/storage.js';
import { createClientDirectory } from './domain/clients/client-directory.js';
import { createDenylist } from './domain/tokens/denylist.js';
import { createWatermarkCache } from './domain/tokens/watermark-cache.js';
import { createCacheRefresh, type CacheRefresh, type CacheRefreshDeps } from './cache-refresh.js';

describe('keeping caches in step with the change log', () => {
  let database: SqlDatabase;
  let storage: Storage;
  const clock = { now: () => Date.now() };

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
  });
  afterAll(() => database.close());

  /** A refresh over the real stores, with the overrides that inject a fault; errors it logs land in `errors`. */
  const refreshWith = (errors: string[], overrides: Partial<CacheRefreshDeps>): CacheRefresh =>
    createCacheRefresh({
      clock,
      log: { error: (_obj: unknown, message?: string) => void errors.push(message ?? '') },
      directory: createClientDirectory(storage),
      watermarks: createWatermarkCache(storage.watermarks),
      denylist: createDenylist(),
      keys: { load: () => undefined },
      keyStore: storage.keys,
      personalTokens: storage.personalTokens,
      revocations: storage.revocations,
      revocationHoldMs: 60_000,
      retryMs: 10,
      ...overrides,
    });

  it('logs and retries a denylist reload that fails on a reset, without an unhandled rejection, until it succeeds', async () => {
    const expiresAt = Date.now() + 60_000;
    await storage.revocations.add({ jti: 'revoked-while-away', expiresAt });
    let failures = 2;
    const errors: string[] = [];
    const denylist = createDenylist();
    const refresh = refreshWith(errors, {
      denylist,
      revocations: {
        listActive: (now) => (failures-- > 0 ? Promise.reject(new Error('connection terminated')) : storage.revocations.listActive(now)),
      },
    });
    refresh.apply('reset');
    await refresh.settled();
    expect(errors).toEqual([expect.stringContaining('reloading the revocation denylist failed')]);
    for (let i = 0; i < 100 && !denylist.has('revoked-while-away'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(2);
    expect(denylist.has('revoked-while-away')).toBe(true);
    refresh.close();
  });

  it('stops retrying once closed', async () => {
    const errors: string[] = [];
    const refresh = refreshWith(errors, { keyStore: { list: () => Promise.reject(new Error('down')) } });
    refresh.apply({ seq: 1, entity: 'key', id: 'k', at: 0 });
    await refresh.settled();
    refresh.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toHaveLength(1);
  });

  it('empties the client directory when the catalog cannot be read again after a change, and retries', async () => {
    let failures = 0;
    const directory = createClientDirectory({
      clients: storage.clients,
      services: { ...storage.services, list: () => (failures-- > 0 ? Promise.reject(new Error('connection terminated')) : storage.services.list()) },
    });
    expect(await directory.get('nobody-dev-1')).toBeNull();
    failures = 1;
    const errors: string[] = [];
    const refresh = refreshWith(errors, { directory });
    refresh.apply({ seq: 1, entity: 'service', id: 'email', at: 0 });
    await refresh.settled();
    expect(errors).toEqual([expect.stringContaining('reloading the service catalog failed')]);
    expect(directory.cached('nobody-dev-1')).toBeUndefined();
    for (let i = 0; i < 100 && failures >= 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(failures).toBe(-1);
    refresh.close();
  });
});
