import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { CurrentSchemaPostgresDialect } from './current-schema-dialect.js';
import { withStatementCache } from './statement-cache.js';
import { createDirectSqlite, type DirectSqlite } from './direct-sqlite.js';
import { migrationProvider } from './migrations/migration-list.js';
import type { Database, SqlDialectName } from './schema.js';

export const CHANGE_CHANNEL = 'latchkey_changes';

/**
 * What the database holds of this process's resources now. PostgreSQL: the pool's connections (`busy`
 * ones run a query or a transaction; `waiting` counts callers queued for one). SQLite: one shared handle
 * and no pool, so the files' sizes instead (a WAL that keeps growing means checkpoints cannot finish).
 */
export type DatabaseUsage =
  | { readonly dialect: 'postgres'; readonly busy: number; readonly idle: number; readonly waiting: number; readonly max: number }
  | { readonly dialect: 'sqlite'; readonly bytes: number; readonly walBytes: number };

export interface SqlDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  /** SQLite only: compiled queries run straight on the native handle, for the token path (direct-sqlite.ts). */
  readonly direct?: DirectSqlite;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** The migrations not applied yet, in order (none: the schema is current). */
  pending(): Promise<string[]>;
  /**
   * Calls `listener` soon after another connection commits a change (PostgreSQL LISTEN/NOTIFY). SQLite
   * has no such signal: callers poll the change log instead.
   */
  listen(listener: () => void, events?: ListenEvents): Promise<void>;
  /** Whether changes are pushed right now (false for SQLite, and while a lost LISTEN connection is re-made). */
  readonly listening: boolean;
  usage(): DatabaseUsage;
  close(): Promise<void>;
}

/** What happens to the LISTEN connection, for the log and for callers that poll faster while it is down. */
export interface ListenEvents {
  lost(error: Error): void;
  restored(): void;
}

// Re-making a lost LISTEN connection: the first retry soon, then backing off to this ceiling.
const LISTEN_RETRY_MS = { first: 100, max: 5_000 } as const;

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

function migratorFor(db: Kysely<Database>, dialect: SqlDialectName, schema?: string): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Without it Kysely looks for its tables in every schema, and finds another deployment's.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialectName, schema?: string): Promise<string[]> {
  const { error, results } = await migratorFor(db, dialect, schema).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// Any constant shared by every Latchkey process: the advisory lock that serialises their migrations.
const MIGRATION_LOCK = 0x1a7c4e7;

function withMigrations(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  extra: { direct?: DirectSqlite; listen: SqlDatabase['listen']; listening: () => boolean; usage: SqlDatabase['usage']; close: () => Promise<void>; beforeMigrate?: () => Promise<void> },
): SqlDatabase {
  return {
    db,
    dialect,
    ...(extra.direct ? { direct: extra.direct } : {}),
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
    async pending() {
      const schema = dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
      const migrations = await migratorFor(db, dialect, schema).getMigrations();
      return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
    },
    listen: extra.listen,
    get listening() {
      return extra.listening();
    },
    usage: extra.usage,
    close: extra.close,
  };
}

/**
 * One handle per SQLite file in a process, shared by everyone who opens it. better-sqlite3 is
 * synchronous: a second connection in the same process waiting on the first one's write lock would block
 * the only thread the first needs to commit. Sharing one Kysely instance serialises transactions instead.
 */
const sqliteHandles = new Map<string, { db: Kysely<Database>; direct: DirectSqlite; refs: number }>();

function openSqlite(path: string): SqlDatabase {
  const key = path === ':memory:' ? null : resolve(path);
  const shared = key === null ? undefined : sqliteHandles.get(key);
  let db: Kysely<Database>;
  let direct: DirectSqlite;
  if (shared) {
    shared.refs++;
    ({ db, direct } = shared);
  } else {
    if (key !== null) mkdirSync(dirname(key), { recursive: true });
    const native = new BetterSqlite3(key ?? ':memory:');
    // WAL lets readers (other processes, the CLI) run beside the writer; FULL sync makes a committed
    // transaction survive a power cut. Writes are rare (none on the token path), so FULL costs little.
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = FULL');
    native.pragma('busy_timeout = 5000');
    native.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 2 MiB): with many clients, a cold client's indexed read finds
    // the index's inner pages here instead of asking the OS for each.
    native.pragma('cache_size = -65536');
    const statements = withStatementCache(native);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    direct = createDirectSqlite(statements, native);
    if (key !== null) sqliteHandles.set(key, { db, direct, refs: 1 });
  }
  let closed = false;
  return withMigrations(db, 'sqlite', {
    direct,
    listen: () => Promise.resolve(),
    listening: () => false,
    usage: () => ({ dialect: 'sqlite', bytes: key === null ? 0 : fileSize(key), walBytes: key === null ? 0 : fileSize(`${key}-wal`) }),
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

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // No WAL file between checkpoints that truncated it: nothing there.
    return 0;
  }
}

const POOL_MAX = 10;
const CONNECT_TIMEOUT_MS = 5_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function openPostgres(url: string): SqlDatabase {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new DatabaseUrlError(`invalid schema name "${schema}" in the database URL: expected lower-case letters, digits and _, not starting with a digit`);
  const config: pg.PoolConfig = {
    connectionString: parsed.toString(),
    max: POOL_MAX,
    // A host that drops packets must fail a query (and a start-up) with a reason, not hang it.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // bigint columns hold epoch milliseconds and sequence numbers, all well inside Number's safe range.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool(config);
  // An idle pooled connection that dies (a server restart, pg_terminate_backend, a proxy's idle timeout)
  // emits 'error' on the pool; unheard, that would end the process. pg has already dropped the connection
  // from the pool and the next query opens a new one, so there is nothing else to do.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  let listener: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  // One LISTEN connection; when it drops (a restart, pg_terminate_backend, a network cut) it is re-made
  // with backoff, and the caller is told both ways: while it is down, changes arrive only by polling.
  const connectListener = async (onChange: () => void, events: ListenEvents | undefined, delay: number, reconnecting: boolean): Promise<void> => {
    const client = new pg.Client(config);
    let failed = false;
    const fail = (error: Error): void => {
      if (failed || closed) return;
      failed = true;
      const wasListening = listener === client;
      if (wasListening) {
        listener = null;
        listening = false;
        events?.lost(error);
      }
      client.end().catch(() => undefined);
      if (!wasListening && !reconnecting) return; // the first connection failed: the caller hears it
      retry = setTimeout(() => {
        retry = null;
        const next = wasListening ? LISTEN_RETRY_MS.first : Math.min(delay * 2, LISTEN_RETRY_MS.max);
        connectListener(onChange, events, next, true).catch(() => undefined);
      }, delay);
      retry.unref();
    };
    client.on('notification', () => onChange());
    client.on('error', fail);
    client.on('end', () => fail(new Error('the LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
    listening = true;
    if (reconnecting) {
      // Changes committed while nothing listened were not pushed: catch up now.
      onChange();
      events?.restored();
    }
  };

  return withMigrations(db, 'postgres', {
    usage: () => ({ dialect: 'postgres', busy: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POOL_MAX }),
    beforeMigrate: async () => {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
    listen: (onChange, events) => connectListener(onChange, events, LISTEN_RETRY_MS.first, false),
    listening: () => listening,
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      await listener?.end().catch(() => undefined);
      await db.destroy();
    },
  });
}
