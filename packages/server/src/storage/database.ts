import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** A database URL this module cannot use; the message says what is wrong with it. */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/** `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`, optionally with `?schema=<name>` for PostgreSQL. */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw new DatabaseUrlError(`unsupported database URL ${url}: use sqlite:<path> or postgres://…`);
}

async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialectName, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Without it Kysely looks for its tables in every schema, and finds another deployment's.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// Any constant shared by every Latchkey process: the advisory lock that serialises their migrations.
const MIGRATION_LOCK = 0x1a7c4e7;

function withMigrations(db: Kysely<Database>, dialect: SqlDialectName, extra: { listen: SqlDatabase['listen']; close: () => Promise<void>; beforeMigrate?: () => Promise<void> }): SqlDatabase {
  return {
    db,
    dialect,
    async migrate() {
      if (dialect === 'sqlite') return migrateToLatest(db, dialect);
      // Several instances starting at once against an empty database: Kysely's own lock table cannot
      // protect its creation, so the whole migration runs under a session advisory lock on one connection.
      return db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
        try {
          await extra.beforeMigrate?.();
          const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(connection);
          return await migrateToLatest(connection, dialect, rows[0]?.schema);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
        }
      });
    },
    listen: extra.listen,
    close: extra.close,
  };
}

/**
 * One handle per SQLite file in a process, shared by everyone who opens it. better-sqlite3 is
 * synchronous: a second connection in the same process waiting on the first one's write lock would block
 * the only thread the first needs to commit. Sharing one Kysely instance serialises transactions instead.
 */
const sqliteHandles = new Map<string, { db: Kysely<Database>; refs: number }>();

function openSqlite(path: string): SqlDatabase {
  const key = path === ':memory:' ? null : resolve(path);
  const shared = key === null ? undefined : sqliteHandles.get(key);
  let db: Kysely<Database>;
  if (shared) {
    shared.refs++;
    db = shared.db;
  } else {
    if (key !== null) mkdirSync(dirname(key), { recursive: true });
    const native = new BetterSqlite3(key ?? ':memory:');
    // WAL lets readers (other processes, the CLI) run beside the writer; FULL sync makes a committed
    // transaction survive a power cut. Writes are rare (none on the token path), so FULL costs little.
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = FULL');
    native.pragma('busy_timeout = 5000');
    native.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
    if (key !== null) sqliteHandles.set(key, { db, refs: 1 });
  }
  let closed = false;
  return withMigrations(db, 'sqlite', {
    listen: () => Promise.resolve(),
    async close() {
      if (closed) return;
      closed = true;
      const entry = key === null ? undefined : sqliteHandles.get(key);
      if (entry && --entry.refs > 0) return;
      if (key !== null) sqliteHandles.delete(key);
      await db.destroy();
    },
  });
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function openPostgres(url: string): SqlDatabase {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new DatabaseUrlError(`invalid schema name "${schema}" in the database URL: expected lower-case letters, digits and _, not starting with a digit`);
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
