import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
