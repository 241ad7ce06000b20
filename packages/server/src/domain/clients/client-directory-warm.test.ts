import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { CLI_ACTOR } from '../actor.js';
import { createApplication } from '../applications/create-application.js';
import { createService } from '../catalog/create-service.js';
import { createServerKeyring } from '../secrets/server-key.js';
import type { Storage } from '../storage.js';
import { systemRandom } from '../random.js';
import { createClient } from './create-client.js';
import { createClientDirectory, WARM_PAGE } from './client-directory.js';

describe('warming the client directory at start-up', () => {
  let database: SqlDatabase;
  let storage: Storage;
  const clock = { now: () => Date.now() };
  const serverKeys = createServerKeyring([randomBytes(32)]);
  // A (never used), B (used last), C (used before B), D (never used)
  const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const counting = (reads: { get: number; pages: number[] }, during?: () => void): Storage => ({
    ...storage,
    clients: {
      ...storage.clients,
      get: (clientId) => (reads.get++, storage.clients.get(clientId)),
      getMany: async (clientIds) => {
        reads.pages.push(clientIds.length);
        const clients = await storage.clients.getMany(clientIds);
        during?.();
        return clients;
      },
    },
  });

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    await createService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] });
    for (const name of ['A', 'B', 'C', 'D'] as const) {
      await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym: `WARM${name}`, status: 'approved' });
      const created = await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym: `WARM${name}`, env: 'dev', services: [{ key: 'email' }] });
      ids[name] = created.client.clientId;
    }
    const secretOf = async (clientId: string) => (await storage.clients.get(clientId))?.secrets[0]?.id ?? '';
    await storage.clients.recordUses([
      { clientId: ids.B, secretId: await secretOf(ids.B), at: 2_000 },
      { clientId: ids.C, secretId: await secretOf(ids.C), at: 1_000 },
    ]);
  });
  afterAll(() => database.close());

  it('loads the most recently used clients up to its capacity, then answers them without a read', async () => {
    const reads = { get: 0, pages: [] as number[] };
    const directory = createClientDirectory(counting(reads), { capacity: 3 });
    const progress: [number, number][] = [];
    expect(await directory.warm({ progress: (loaded, total) => progress.push([loaded, total]) })).toBe(3);
    expect(progress).toEqual([[3, 3]]);
    // Used last first; then the never used, by id: A or D, whichever id sorts first.
    const neverUsed = [ids.A, ids.D].sort()[0] ?? '';
    for (const id of [ids.B, ids.C, neverUsed]) expect(directory.cached(id)?.client.clientId).toBe(id);
    expect(directory.cached(neverUsed === ids.A ? ids.D : ids.A)).toBeUndefined();
    expect((await directory.get(ids.B))?.entitlements.map((e) => e.audience)).toEqual(['urn:latchkey:service:email:dev']);
    expect(reads).toEqual({ get: 0, pages: [3] });
  });

  it('keeps the entries already cached, and drops a page read while a change arrived', async () => {
    const directory = createClientDirectory(storage);
    const hot = await directory.get(ids.A);
    expect(await directory.warm()).toBe(3);
    expect(directory.cached(ids.A)).toBe(hot);

    const raced = createClientDirectory(counting({ get: 0, pages: [] }, () => raced.invalidate('someone-dev-1')));
    expect(await raced.warm()).toBe(0);
    expect(raced.size().clients).toBe(0);
  });

  it('reads a page at a time, saying how far it got, and stops between pages when aborted', async () => {
    const reads = { get: 0, pages: [] as number[] };
    const stop = new AbortController();
    const progress: [number, number][] = [];
    const directory = createClientDirectory(counting(reads));
    expect(await directory.warm({ pageSize: 3, progress: (loaded, total) => progress.push([loaded, total]) })).toBe(4);
    expect(reads.pages).toEqual([3, 1]);
    expect(progress).toEqual([[3, 4], [4, 4]]);

    reads.pages = [];
    const stopped = createClientDirectory(counting(reads));
    expect(await stopped.warm({ pageSize: 1, signal: stop.signal, progress: () => stop.abort() })).toBe(1);
    expect(reads.pages).toEqual([1]);
    expect(WARM_PAGE).toBe(500);
  });
});
