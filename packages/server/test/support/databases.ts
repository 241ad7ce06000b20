import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import pg from 'pg';
import type { Storage } from '../../src/domain/storage.js';
import { openDatabase, type SqlDatabase } from '../../src/storage/database.js';
import { createSqlStorage } from '../../src/storage/sql-storage.js';
import { deferred, type Deferred } from './deferred.js';

/** The PostgreSQL the suites run against (a throwaway schema per run); override with LATCHKEY_TEST_POSTGRES_URL. */
export const POSTGRES_URL = process.env.LATCHKEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = process.env.CI === 'true';

export interface Connection {
  readonly database: SqlDatabase;
  readonly storage: Storage;
}

/** One fresh, empty database (a temp SQLite file, or a new PostgreSQL schema). */
export interface FreshDatabase {
  readonly url: string;
  /** Opens another connection (its own handle or pool) to the same database, migrated. */
  connect(): Promise<Connection>;
  /** Closes every connection opened here and deletes the database. */
  drop(): Promise<void>;
}

export interface Backend {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Skip this backend's tests: it is unreachable here and this is not CI. */
  readonly skip: boolean;
  /** A fresh database; throws (failing the suite) when the backend is unreachable. */
  fresh(): Promise<FreshDatabase>;
}

/** Null when PostgreSQL answers at `url`, else why not. */
export async function probePostgres(url = POSTGRES_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tracked(url: string, remove: () => Promise<void>): FreshDatabase {
  const open: SqlDatabase[] = [];
  return {
    url,
    async connect() {
      const database = await openDatabase(url);
      open.push(database);
      await database.migrate();
      return { database, storage: createSqlStorage(database) };
    },
    async drop() {
      await Promise.all(open.splice(0).map((d) => d.close().catch(() => undefined)));
      await remove();
    },
  };
}

/**
 * Brings a migrated database back to what migrating an empty one leaves: every table emptied (the
 * migrations' own bookkeeping aside), identities restarted, and the change and lock counters at 0.
 */
export async function emptyDatabase(database: SqlDatabase): Promise<void> {
  const kept = ['meta', 'schema_migrations', 'schema_migrations_lock'];
  await database.db.transaction().execute(async (trx) => {
    if (database.dialect === 'postgres') {
      // DELETE, children first, rather than TRUNCATE, which costs a third of a second on every test.
      const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(trx);
      const references = await sql<{ child: string; parent: string }>`
        select c.relname as child, p.relname as parent from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(trx);
      const emptied = childrenFirst(tables.rows.map((r) => r.name).filter((t) => !kept.includes(t)), references.rows);
      for (const name of emptied) await sql`delete from ${sql.table(name)}`.execute(trx);
      const sequences = await sql<{ name: string }>`select sequencename as name from pg_sequences where schemaname = current_schema()`.execute(trx);
      for (const { name } of sequences.rows) await sql`alter sequence ${sql.table(name)} restart`.execute(trx);
    } else {
      // Checked at commit, when every table is empty, so the order of the deletes does not matter.
      await sql`pragma defer_foreign_keys = on`.execute(trx);
      const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(trx);
      for (const { name } of tables.rows.filter((r) => !kept.includes(r.name))) await sql`delete from ${sql.table(name)}`.execute(trx);
      const sequences = await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_sequence'`.execute(trx);
      if (sequences.rows.length > 0) await sql`delete from sqlite_sequence`.execute(trx);
    }
    await trx.updateTable('meta').set({ change_seq: 0, lock_seq: 0 }).where('id', '=', 1).execute();
  });
}

/** `tables` ordered so that each comes before every table it references. */
function childrenFirst(tables: readonly string[], references: readonly { child: string; parent: string }[]): string[] {
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (table: string): void => {
    if (seen.has(table)) return;
    seen.add(table);
    for (const r of references) if (r.parent === table && tables.includes(r.child)) visit(r.child);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/** What a task on another thread came to: its return value, or the error it threw. */
export type ThreadOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code?: string; readonly message: string };

/** A storage task running on another thread: see storageInAnotherThread. */
export interface ThreadTask<T> {
  /** Settles once the thread has opened its storage and waits for `go()`. */
  readonly ready: Promise<void>;
  go(): void;
  /** Settles when the task calls `tell(message)`; fails if the task ends without saying it. */
  heard(message: string): Promise<void>;
  readonly done: Promise<ThreadOutcome<T>>;
}

/**
 * A connection on another thread, with its own event loop, as another process has. It opens the built
 * storage (dist/: `npm run build` first), reports `ready`, waits for `go()`, then runs `task`, the source
 * text of an `async (storage, arg, tell) => value` function, and settles `done` with what came of it.
 * `tell(message)` lets the task say how far it got (say, just before it asks for a lock), for `heard`.
 */
export function storageInAnotherThread<T>(url: string, task: string, arg: unknown): ThreadTask<T> {
  const dist = new URL('../../dist/storage/', import.meta.url).href;
  const worker = new Worker(
    `
    const { parentPort, workerData: { dist, url, task, arg } } = require('node:worker_threads');
    (async () => {
      const { openDatabase } = await import(dist + 'database.js');
      const { createSqlStorage } = await import(dist + 'sql-storage.js');
      const database = await openDatabase(url);
      try {
        const storage = createSqlStorage(database);
        await storage.ping();
        const run = (0, eval)('(' + task + ')');
        parentPort.postMessage('ready');
        await new Promise((resolve) => parentPort.once('message', resolve));
        const tell = (message) => parentPort.postMessage({ told: message });
        parentPort.postMessage({ ok: true, value: await run(storage, arg, tell) });
      } catch (error) {
        parentPort.postMessage({ ok: false, code: error.code, message: error.message });
      } finally {
        await database.close();
      }
    })().catch((error) => parentPort.postMessage({ ok: false, message: 'worker failed: ' + error.message }));
    `,
    { eval: true, workerData: { dist, url, task, arg } },
  );
  const ready = deferred<void>();
  const outcome = deferred<ThreadOutcome<T>>();
  const told = new Map<string, Deferred<void>>();
  const toldOf = (message: string): Deferred<void> => told.get(message) ?? told.set(message, deferred<void>()).get(message)!;
  // A thread that fails before it is ready reports that failure as its outcome (rather than hanging `ready`).
  const finish = (result: ThreadOutcome<T>): void => {
    ready.resolve();
    outcome.resolve(result);
  };
  worker.on('message', (m: unknown) => {
    if (m === 'ready') ready.resolve();
    else if (typeof m === 'object' && m !== null && 'told' in m) toldOf(String(m.told)).resolve();
    else finish(m as ThreadOutcome<T>);
  });
  worker.on('error', (e) => finish({ ok: false, message: `worker error: ${e.message}` }));
  const done = outcome.promise.finally(() => void worker.terminate());
  return {
    ready: ready.promise,
    go: () => worker.postMessage('go'),
    heard: (message) =>
      Promise.race([
        toldOf(message).promise,
        done.then((r) => {
          throw new Error(`the thread ended without saying "${message}": ${JSON.stringify(r)}`);
        }),
      ]),
    done,
  };
}

export function freshSqlite(): FreshDatabase {
  // A real file, not :memory:, so WAL, locking and a second connection behave as in production.
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-storage-'));
  return tracked(`sqlite:${join(dir, 'latchkey.db')}`, async () => rmSync(dir, { recursive: true, force: true }));
}

export async function freshPostgres(url = POSTGRES_URL): Promise<FreshDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const withSchema = new URL(url);
  withSchema.searchParams.set('schema', schema);
  return tracked(withSchema.toString(), async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });
}

/**
 * SQLite always; PostgreSQL when it answers. Outside CI an unreachable PostgreSQL is skipped with a loud
 * warning; in CI (CI=true) it is not skipped, and `fresh()` fails the suite with the reason.
 */
export async function storageBackends(suite: string): Promise<Backend[]> {
  const problem = await probePostgres();
  if (problem !== null && !IN_CI) {
    console.warn(
      [
        '',
        '!'.repeat(78),
        `!! ${suite}: PostgreSQL at ${POSTGRES_URL} does not answer (${problem}).`,
        '!! SKIPPING the PostgreSQL half. Start one (or set LATCHKEY_TEST_POSTGRES_URL) to run it;',
        '!! with CI=true this is a failure, not a skip.',
        '!'.repeat(78),
        '',
      ].join('\n'),
    );
  }
  return [
    { name: 'SQLite', skip: false, fresh: () => Promise.resolve(freshSqlite()) },
    {
      name: 'PostgreSQL',
      skip: problem !== null && !IN_CI,
      async fresh() {
        if (problem !== null) throw new Error(`PostgreSQL at ${POSTGRES_URL} does not answer (${problem}); CI=true requires it (set LATCHKEY_TEST_POSTGRES_URL)`);
        return freshPostgres();
      },
    },
  ];
}
