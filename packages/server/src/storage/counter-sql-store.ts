import type { ExpressionBuilder } from 'kysely';
import type { CounterStore } from '../domain/users/counter-store.js';
import type { Database } from './schema.js';
import { atomically, translated, type SqlContext } from './sql-context.js';

// PostgreSQL refuses NUL in text; every database maps it alike, so a key means the same thing everywhere.
const stored = (key: string): string => key.replaceAll('\u0000', '\uFFFD');

type Row = ExpressionBuilder<Database, 'attempt_counters'>;

/**
 * The counters of domain/users/counter-store.ts, one row per key. Every change is a single
 * INSERT … ON CONFLICT DO UPDATE: PostgreSQL applies it atomically per row under concurrency (a second
 * inserter of a new key waits, then updates), SQLite under its write lock; so concurrent callers on any
 * connection each get a count of their own. A row whose `expires_at` has passed counts as absent and
 * starts again from 1.
 */
export function createCounterSqlStore(ctx: SqlContext): CounterStore {
  const { db } = ctx;
  const expired = (eb: Row, now: number) => eb('attempt_counters.expires_at', '<=', now);
  return {
    async read(keys, now) {
      if (keys.length === 0) return [];
      const wanted = keys.map(stored);
      const rows = await translated(() =>
        db.selectFrom('attempt_counters').select(['key', 'attempts', 'stamp']).where('key', 'in', [...new Set(wanted)]).where('expires_at', '>', now).execute(),
      );
      const byKey = new Map(rows.map((r) => [r.key, r]));
      return wanted.map((key) => {
        const row = byKey.get(key);
        return row ? { failures: row.attempts, lastFailureAt: row.stamp } : null;
      });
    },
    fail(keys, now, windowMs) {
      // One transaction, one commit, for every key; rows are taken in key order, so callers failing
      // overlapping keys never wait on each other in a cycle.
      return atomically(db, async (trx) => {
        const counts = new Map<string, number>();
        for (const key of [...new Set(keys.map(stored))].sort()) {
          const row = await trx
            .insertInto('attempt_counters')
            .values({ key, attempts: 1, stamp: now, expires_at: now + windowMs })
            .onConflict((oc) =>
              oc.column('key').doUpdateSet((eb) => ({
                attempts: eb.case().when(expired(eb, now)).then(1).else(eb('attempt_counters.attempts', '+', 1)).end(),
                stamp: now,
                expires_at: now + windowMs,
              })),
            )
            .returning('attempts')
            .executeTakeFirstOrThrow();
          counts.set(key, row.attempts);
        }
        return keys.map((key) => ({ failures: counts.get(stored(key)) ?? 0, lastFailureAt: now }));
      });
    },
    async take(key, now, windowMs) {
      // A window keeps its start (`stamp`) and end until it has passed; then this attempt opens a new one.
      const row = await translated(() =>
        db
          .insertInto('attempt_counters')
          .values({ key: stored(key), attempts: 1, stamp: now, expires_at: now + windowMs })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              attempts: eb.case().when(expired(eb, now)).then(1).else(eb('attempt_counters.attempts', '+', 1)).end(),
              stamp: eb.case().when(expired(eb, now)).then(now).else(eb.ref('attempt_counters.stamp')).end(),
              expires_at: eb.case().when(expired(eb, now)).then(now + windowMs).else(eb.ref('attempt_counters.expires_at')).end(),
            })),
          )
          .returning(['attempts', 'expires_at'])
          .executeTakeFirstOrThrow(),
      );
      return { count: row.attempts, resetsAt: row.expires_at };
    },
    async clear(key) {
      await translated(() => db.deleteFrom('attempt_counters').where('key', '=', stored(key)).execute());
    },
    async prune(now) {
      const result = await translated(() => db.deleteFrom('attempt_counters').where('expires_at', '<=', now).executeTakeFirst());
      return Number(result.numDeletedRows);
    },
  };
}
