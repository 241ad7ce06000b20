import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ClientStore } from '../domain/clients/client.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { secret, T } from '../../test/support/storage-rows.js';
import { createClientSqlStore } from './client-sql-store.js';
import { openDatabase, type SqlDatabase } from './database.js';

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

  it('answers an unknown client, and one without secrets, in one query too', async () => {
    expect(await clients.get('no-such-client')).toBeNull();
    const bare = await seed.client({ secrets: [] });
    expect(await clients.get(bare.clientId)).toStrictEqual(bare);
    expect(queries).toHaveLength(2);
  });
});
