import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './migrations.js';
import type { Database, SqlDialectName } from './schema.js';

export const CHANGE_CHANNEL = 'latchkey_changes';

export interface SqlDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /**
   * Calls `listener` soon after another connection commits a change (PostgreSQL LISTEN/NOTIFY). SQLite
   * has no such signal: callers poll the change log instead.
   */
  listen(listener: () => void): Promise<void>;
  close(): Promise<void>;
}

/** `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`, optionally with `?schema=<name>` for PostgreSQL. */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw new TypeError(`unsupported database URL ${url}: use sqlite:<path> or postgres://…`);
}

function withMigrations(db: Kysely<Database>, dialect: SqlDialectName, extra: { listen: SqlDatabase['listen']; close: () => Promise<void>; beforeMigrate?: () => Promise<void> }): SqlDatabase {
  return {
    db,
    dialect,
    async migrate() {
      await extra.beforeMigrate?.();
      const migrator = new Migrator({ db, provider: migrationProvider(dialect), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    listen: extra.listen,
    close: extra.close,
  };
}

function openSqlite(path: string): SqlDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const native = new BetterSqlite3(path);
  // WAL lets readers (other processes, the CLI) run beside the writer; FULL sync makes a committed
  // transaction survive a power cut. Writes are rare (none on the token path), so FULL costs little.
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = FULL');
  native.pragma('busy_timeout = 5000');
  native.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  return withMigrations(db, 'sqlite', { listen: () => Promise.resolve(), close: () => db.destroy() });
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function openPostgres(url: string): SqlDatabase {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new TypeError(`invalid schema name "${schema}" in the database URL`);
  const config: pg.PoolConfig = {
    connectionString: parsed.toString(),
    max: 10,
    // bigint columns hold epoch milliseconds and sequence numbers, all well inside Number's safe range.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool(config);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | null = null;
  return withMigrations(db, 'postgres', {
    beforeMigrate: async () => {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
    async listen(onChange) {
      const client = new pg.Client(config);
      client.on('notification', () => onChange());
      // A lost LISTEN connection is not fatal: callers also poll the change log.
      client.on('error', () => undefined);
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      listener = client;
    },
    async close() {
      await listener?.end().catch(() => undefined);
      await db.destroy();
    },
  });
}
