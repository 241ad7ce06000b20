import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of a better-sqlite3 database Kysely's SQLite dialect uses. */
export interface NativeSqlite {
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** How many distinct SQL texts keep their prepared statement (the oldest prepared goes first). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 under Kysely, with each distinct SQL text prepared once. Kysely's SQLite driver prepares
 * every query it runs, and on a cold client's read (the token path's one query) preparing cost as much as
 * running it. A statement is reused only by `all` and `run`, which finish before they return (this
 * project streams no query, where `iterate` would hold a statement busy), and SQLite prepares it again by
 * itself when the schema changes (sqlite3_prepare_v2).
 */
export function withStatementCache(native: NativeSqlite, capacity = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = native.prepare(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => native.close(),
  };
}
