import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import type { Storage } from '../../src/domain/storage.js';
import type { SqlDatabase } from '../../src/storage/database.js';
import { emptyDatabase, storageBackends, type Backend, type Connection, type FreshDatabase } from './databases.js';
import { seedsFor, T, type Seeds } from './storage-rows.js';

// The one fixture and runner of the storage contract suites (src/storage/*.test.ts): every suite runs on
// SQLite and on PostgreSQL, against one database per suite and dialect, emptied before each test.
const BACKENDS = await storageBackends('storage contract');

/** A clock that moves only when told to; it stands at `T` when each test starts. */
export interface MovableClock extends Clock {
  set(at: number): void;
  /** Moves the clock on by `ms` and returns the new time. */
  advance(ms: number): number;
}

export function movableClock(start: number): MovableClock {
  let now = start;
  return {
    now: () => now,
    set: (at) => void (now = at),
    advance: (ms) => (now += ms),
  };
}

export interface StorageFixture {
  readonly dialect: Backend['name'];
  /** The database's URL, for another thread to open. */
  readonly url: string;
  /** Two connections to the database, each with its own handle or pool, as two processes have. */
  readonly one: Storage;
  readonly two: Storage;
  readonly clock: MovableClock;
  /** Stores rows through `one`. */
  readonly seed: Seeds;
  /**
   * Whether a transaction on another connection is waiting for the write lock (the one lockExclusive
   * takes, which every change-log write takes too). PostgreSQL says so (pg_locks). SQLite keeps no record
   * of a waiter, but in this process every connection shares one handle, on which a transaction queues
   * within the turn of the event loop that started it: so after one turn, this answers true. A thread of
   * its own must say when it asks for the lock (`tell`), as nothing here can see it wait.
   */
  waitingForLock(): Promise<boolean>;
  /** Whether some transaction holds the write lock now: another connection asks for it, not waiting, and is refused. */
  lockTaken(): Promise<boolean>;
}

/**
 * Declares the suite `name` on SQLite and on PostgreSQL, with `body` declaring its tests. `one`, `two`
 * and `seed` can be named as the body is declared: they reach the connections once a test runs.
 * Outside CI an unreachable PostgreSQL is skipped with a loud warning; with CI=true its suites fail.
 */
export function describeStorageContract(name: string, body: (fixture: StorageFixture) => void): void {
  describe.each(BACKENDS)(`${name} on $name`, (backend) => {
    describe.skipIf(backend.skip)(backend.name, () => {
      let fresh: FreshDatabase | undefined;
      let connections: readonly [Connection, Connection] | undefined;
      const opened = (): readonly [Connection, Connection] => {
        if (!connections) throw new Error(`the ${backend.name} database of "${name}" is not open: use the fixture inside a test or a hook`);
        return connections;
      };
      const url = (): string => {
        if (!fresh) throw new Error(`the ${backend.name} database of "${name}" is not open: use the fixture inside a test or a hook`);
        return fresh.url;
      };
      const clock = movableClock(T);

      beforeAll(async () => {
        fresh = await backend.fresh();
        connections = [await fresh.connect(), await fresh.connect()];
      });
      beforeEach(async () => {
        clock.set(T);
        await emptyDatabase(opened()[0].database);
      });
      afterAll(async () => fresh?.drop());

      const one = forwarding(() => opened()[0].storage);
      body({
        dialect: backend.name,
        get url() {
          return url();
        },
        one,
        two: forwarding(() => opened()[1].storage),
        clock,
        seed: seedsFor(one),
        waitingForLock: () => waitingForLock(opened()[0].database),
        lockTaken: () => lockTaken(opened()[1].database, url()),
      });
    });
  });
}

/** A Storage that is whichever `current()` returns when a store is used. */
function forwarding(current: () => Storage): Storage {
  return new Proxy({} as Storage, { get: (_, key) => Reflect.get(current(), key) });
}

async function waitingForLock(database: SqlDatabase): Promise<boolean> {
  if (database.dialect === 'sqlite') {
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }
  // A waiter has opened `meta` (this schema's: the search path names it) and is blocked by another backend.
  const { rows } = await sql<{ waiting: number }>`
    select count(*)::int as waiting from pg_locks
    where locktype = 'relation' and granted and relation = 'meta'::regclass
      and database = (select oid from pg_database where datname = current_database())
      and cardinality(pg_blocking_pids(pid)) > 0`.execute(database.db);
  return (rows[0]?.waiting ?? 0) > 0;
}

async function lockTaken(other: SqlDatabase, url: string): Promise<boolean> {
  if (other.dialect === 'sqlite') {
    // A handle of its own (this process's connections share one), which fails at once rather than waits.
    const probe = new BetterSqlite3(url.slice('sqlite:'.length), { timeout: 0 });
    try {
      probe.exec('begin immediate');
      probe.exec('rollback');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw error;
    } finally {
      probe.close();
    }
  }
  try {
    await other.db.transaction().execute((trx) => sql`select lock_seq from meta where id = 1 for update nowait`.execute(trx));
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return true; // lock_not_available
    throw error;
  }
}

/** Polls `check` until it holds; fails naming `what` if it does not within `ms`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
