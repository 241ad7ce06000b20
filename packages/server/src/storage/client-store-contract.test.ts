import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientStore } from '../domain/clients/client.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { deferred } from '../../test/support/deferred.js';
import { application, client, secret, T } from '../../test/support/storage-rows.js';
import { createClientSqlStore } from './client-sql-store.js';
import { openDatabase, type SqlDatabase } from './database.js';
import { createSqlStorage } from './sql-storage.js';

// The token path reads a client it has not cached with `clients.get`: that must stay one query that an
// index answers, however many clients are registered.
describeStorageContract('the client store', (fixture) => {
  const { seed } = fixture;
  let database: SqlDatabase;
  let queries: CompiledQuery[];
  let clients: ClientStore;

  beforeEach(async () => {
    database = await openDatabase(fixture.url);
    queries = [];
    const executor = database.db.getExecutor();
    const recording: KyselyPlugin = {
      transformQuery: (args) => {
        queries.push(executor.compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    clients = createClientSqlStore({ db: database.db.withPlugin(recording), dialect: database.dialect });
  });
  afterEach(() => database.close());

  // Each table the query reads found through an index, never scanned (PostgreSQL told to avoid scans
  // when it can, as with a few rows it would rather scan).
  async function expectIndexed(query: CompiledQuery): Promise<void> {
    if (fixture.dialect === 'SQLite') {
      const plan = await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
      expect(plan.rows.map((r) => r.detail).filter((d) => d.startsWith('SCAN'))).toEqual([]);
      return;
    }
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]));
      expect(plan.rows.map((r) => r['QUERY PLAN']).filter((line) => line.includes('Seq Scan'))).toEqual([]);
    });
  }

  it('reads a client with its secrets in one indexed query', async () => {
    const stored = await seed.client({ secrets: [secret({ createdAt: T }), secret({ createdAt: T + 1, expiresAt: T + 99 })] });
    expect(await clients.get(stored.clientId)).toStrictEqual(stored);
    expect(queries).toHaveLength(1);
    await expectIndexed(queries[0] as CompiledQuery);
  });

  it('names the clients to warm a cache with: the most recently used first, the never used last by id, up to a limit', async () => {
    const [older, never1, latest, never2] = [
      await seed.client({ lastUsedAt: T + 10 }),
      await seed.client(),
      await seed.client({ lastUsedAt: T + 20 }),
      await seed.client(),
    ];
    const neverUsed = [never1.clientId, never2.clientId].sort();
    expect(await clients.recentlyUsedIds(10)).toEqual([latest.clientId, older.clientId, ...neverUsed]);
    expect(await clients.recentlyUsedIds(3)).toEqual([latest.clientId, older.clientId, neverUsed[0]]);
  });

  it('reads many clients with their secrets in one indexed query, leaving out unknown ids', async () => {
    const two = await seed.client({ secrets: [secret({ createdAt: T }), secret({ createdAt: T + 1, expiresAt: T + 99 })] });
    const bare = await seed.client({ secrets: [] });
    const one = await seed.client();
    const read = await clients.getMany([one.clientId, 'no-such-client', two.clientId, bare.clientId]);
    expect(read.sort((a, b) => a.clientId.localeCompare(b.clientId))).toStrictEqual([two, bare, one].sort((a, b) => a.clientId.localeCompare(b.clientId)));
    expect(queries).toHaveLength(1);
    await expectIndexed(queries[0] as CompiledQuery);
    expect(await clients.getMany([])).toEqual([]);
  });

  it('answers an unknown client, and one without secrets, in one query too', async () => {
    expect(await clients.get('no-such-client')).toBeNull();
    const bare = await seed.client({ secrets: [] });
    expect(await clients.get(bare.clientId)).toStrictEqual(bare);
    expect(queries).toHaveLength(2);
  });

  // SQLite runs the token path's two statements straight on its handle (direct-sqlite.ts); PostgreSQL
  // has no such path, and these hold there through Kysely.
  describe('the direct path', () => {
    const direct = (): ClientStore => createClientSqlStore(database);

    it('reads what Kysely reads, and writes last-used times for more clients than one transaction takes', async () => {
      expect(Boolean(database.direct)).toBe(fixture.dialect === 'SQLite');
      const stored = await seed.client({ secrets: [secret({ createdAt: T }), secret({ createdAt: T + 1, expiresAt: T + 99 })] });
      expect(await direct().get(stored.clientId)).toStrictEqual(stored);
      expect(await direct().get('no-such-client')).toBeNull();

      const many = await Promise.all(Array.from({ length: 30 }, () => seed.client()));
      const uses = Array.from({ length: 300 }, (_, i) => {
        const c = many[i % many.length]!;
        return { clientId: c.clientId, secretId: c.secrets[0]!.id, at: T + i };
      });
      await direct().recordUses(uses);
      const last = many.map((c, k) => T + 300 - many.length + k);
      expect(await Promise.all(many.map(async (c) => (await direct().get(c.clientId))?.lastUsedAt))).toEqual(last);
      expect(await Promise.all(many.map(async (c) => (await clients.get(c.clientId))?.secrets[0]?.lastUsedAt))).toEqual(last);
    });

    it('does not read a transaction’s rows while it waits between its statements, and they are gone after it rolls back', async () => {
      const storage = createSqlStorage(database);
      const app = application();
      await storage.applications.create(app);
      const pending = client(app);
      const inserted = deferred<void>();
      const rollBack = deferred<void>();
      const transaction = storage
        .transaction(async (tx) => {
          await tx.clients.create(pending);
          inserted.resolve();
          await rollBack.promise;
          throw new Error('rolled back');
        })
        .catch((error: unknown) => error);
      await inserted.promise;
      const read = direct().get(pending.clientId);
      rollBack.resolve();
      expect(await read).toBeNull();
      expect(await transaction).toMatchObject({ message: 'rolled back' });
      expect(await direct().get(pending.clientId)).toBeNull();
    });
  });
});
