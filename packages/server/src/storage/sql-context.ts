import { sql, type Kysely } from 'kysely';
import { DomainError } from '../domain/errors.js';
import type { ChangeEntity } from '../domain/changes/change-feed.js';
import { CHANGE_CHANNEL } from './database.js';
import type { Database, SqlDialectName } from './schema.js';
import type { DirectSqlite } from './direct-sqlite.js';

export type Db = Kysely<Database>;

export interface SqlContext {
  readonly db: Db;
  readonly dialect: SqlDialectName;
  /** SQLite's direct path for the token path's statements; absent inside a transaction and on PostgreSQL. */
  readonly direct?: DirectSqlite;
}

/** Runs `work` in the caller's transaction, or in a new one. */
export function atomically<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : translated(() => db.transaction().execute(work));
}

const UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300', '08000', '08003', '08006']);

/**
 * Database failures the caller can act on, as domain errors: a busy or unreachable database is
 * `unavailable` (retry later), text PostgreSQL cannot store (NUL) is `bad_request`. Anything else is a bug
 * and stays as it is.
 */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && UNAVAILABLE.has(code)) {
      throw new DomainError('unavailable', 'the database is busy or unreachable; try again shortly', { cause: error });
    }
    if (code === '22021' || code === '22P05') {
      throw new DomainError('bad_request', 'text must not contain NUL characters', { cause: error });
    }
    throw error;
  }
}

/**
 * Whether a lookup key can exist in the database at all. PostgreSQL refuses NUL in text outright (an
 * error, not "no row"), so a key containing one is simply not found, on every database alike.
 */
export function storable(key: string): boolean {
  return !key.includes('\u0000');
}

/**
 * Appends to the change log. The sequence number comes from the single `meta` row, whose update holds
 * the row lock (PostgreSQL) or the write lock (SQLite) until commit: numbers are handed out in commit order
 * without gaps, and a follower that has read `n` has seen everything before it. Call it first in a mutating
 * method, so every writer takes that lock before any other row (no lock-order deadlocks).
 */
export async function recordChange(ctx: { dialect: SqlDialectName }, trx: Db, entity: ChangeEntity, id: string): Promise<void> {
  const { change_seq: seq } = await trx
    .updateTable('meta')
    .set((eb) => ({ change_seq: eb('change_seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('change_seq')
    .executeTakeFirstOrThrow();
  await trx.insertInto('changes').values({ seq, entity, entity_id: id, created_at: Date.now() }).execute();
  // Delivered on commit, to every LISTENing process; a rolled-back transaction notifies nobody.
  if (ctx.dialect === 'postgres') await sql`select pg_notify(${CHANGE_CHANNEL}, ${String(seq)})`.execute(trx);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Turns a uniqueness clash into the domain's `conflict`; rethrows anything else. */
export async function conflictAs<T>(message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', message, { cause: error });
    throw error;
  }
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}
