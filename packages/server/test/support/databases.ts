import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { Storage } from '../../src/domain/storage.js';
import { openDatabase, type SqlDatabase } from '../../src/storage/database.js';
import { createSqlStorage } from '../../src/storage/sql-storage.js';

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

/** A fresh database and two connections to it, each with its own handle or pool, as two processes have. */
export interface TwoConnections {
  readonly fresh: FreshDatabase;
  readonly one: Storage;
  readonly two: Storage;
}

/** Opens a fresh database on `backend` with two migrated connections; `fresh.drop()` closes both and deletes it. */
export async function freshWithTwoConnections(backend: Backend): Promise<TwoConnections> {
  const fresh = await backend.fresh();
  try {
    return { fresh, one: (await fresh.connect()).storage, two: (await fresh.connect()).storage };
  } catch (error) {
    await fresh.drop();
    throw error;
  }
}

/** What a task on another thread came to: its return value, or the error it threw. */
export type ThreadOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code?: string; readonly message: string };

/**
 * A connection on another thread, with its own event loop, as another process has. It opens the built
 * storage (dist/: `npm run build` first), reports `ready`, waits for `go()`, then runs `task`, the source
 * text of an `async (storage, arg) => value` function, and settles `done` with what came of it.
 */
export function storageInAnotherThread<T>(url: string, task: string, arg: unknown): { ready: Promise<void>; go: () => void; done: Promise<ThreadOutcome<T>> } {
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
        parentPort.postMessage({ ok: true, value: await run(storage, arg) });
      } catch (error) {
        parentPort.postMessage({ ok: false, code: error.code, message: error.message });
      } finally {
        await database.close();
      }
    })().catch((error) => parentPort.postMessage({ ok: false, message: 'worker failed: ' + error.message }));
    `,
    { eval: true, workerData: { dist, url, task, arg } },
  );
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  const deliver = (m: unknown) => (waiters.shift() ?? ((x: unknown) => messages.push(x)))(m);
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ ok: false, message: `worker error: ${e.message}` }));
  const next = () => new Promise<unknown>((resolve) => (messages.length > 0 ? resolve(messages.shift()) : waiters.push(resolve)));
  const first = next();
  // A thread that fails before it is ready reports that failure as its outcome (rather than hanging `done`).
  const done = first.then((m) => (m === 'ready' ? next() : m)) as Promise<ThreadOutcome<T>>;
  return { ready: first.then(() => undefined), go: () => worker.postMessage('go'), done: done.finally(() => void worker.terminate()) };
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
