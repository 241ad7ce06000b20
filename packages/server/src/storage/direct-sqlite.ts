import type { CompiledQuery, SqliteDatabase } from 'kysely';

/**
 * A compiled Kysely query run straight on better-sqlite3, for the two statements a token costs the
 * database when it costs it anything: a cold client's read and the batched last-used write. Through
 * Kysely each run builds the query again, takes the driver's connection mutex and hops a few promises:
 * about 70 µs for a cold client's read on a million-client database, against 25 µs for the same SQL
 * run directly. The SQL is still Kysely's (compiled once, with `?` placeholders), so both paths read
 * the same columns in the same shape.
 *
 * Not while a transaction is open: Kysely keeps one better-sqlite3 handle, and a transaction waiting
 * between its statements holds it, so a direct read then would see that transaction's uncommitted rows.
 * `all` and `transaction` return `undefined` then, and the caller goes through Kysely, which waits its
 * turn.
 */
export interface DirectSqlite {
  /** The rows of `query` with `parameters` in place of its own, or undefined while a transaction is open. */
  all<R>(query: CompiledQuery<R>, parameters: readonly unknown[]): R[] | undefined;
  /**
   * Runs `work` in one transaction of its own (synchronous: nothing else runs meanwhile), or returns
   * undefined while one is open. `bookkeeping` commits it without waiting for the disk (synchronous =
   * NORMAL, for this transaction only): a crash of the process still loses nothing it committed, a power
   * cut may lose its last few seconds. For last-used times only, which wait in memory for seconds anyway.
   */
  transaction(work: (run: (query: CompiledQuery, parameters: readonly unknown[]) => void) => void, options?: { readonly bookkeeping?: boolean }): true | undefined;
}

/** The part of a better-sqlite3 database this needs. */
export interface NativeTransactions {
  readonly inTransaction: boolean;
  transaction(work: () => void): () => void;
  pragma(source: string, options?: { simple: boolean }): unknown;
}

export function createDirectSqlite(statements: SqliteDatabase, native: NativeTransactions): DirectSqlite {
  const run = (query: CompiledQuery, parameters: readonly unknown[]): void => {
    statements.prepare(query.sql).run(parameters);
  };
  return {
    all<R>(query: CompiledQuery<R>, parameters: readonly unknown[]) {
      if (native.inTransaction) return undefined;
      return statements.prepare(query.sql).all(parameters) as R[];
    },
    transaction(work, options) {
      if (native.inTransaction) return undefined;
      // For this transaction only: the handle's own setting (database.ts) comes back after it.
      const durable = options?.bookkeeping ? native.pragma('synchronous', { simple: true }) : null;
      if (durable !== null) native.pragma('synchronous = NORMAL');
      try {
        native.transaction(() => work(run))();
      } finally {
        if (durable !== null) native.pragma(`synchronous = ${String(durable)}`);
      }
      return true;
    },
  };
}

/**
 * `query`'s parameters with each placeholder (a value it was compiled with, standing for one to pass at
 * each run) replaced by the value at the same index in `values`; other parameters stay as compiled.
 */
export function bindParameters(query: CompiledQuery, placeholders: readonly unknown[], values: readonly unknown[]): unknown[] {
  return query.parameters.map((parameter) => {
    const index = placeholders.indexOf(parameter);
    return index < 0 ? parameter : values[index];
  });
}
