import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** 0008_attempt_counters. */
export function migration0008(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // Login throttles, sign-up limits and notice de-duplication, shared by every process on the
      // database when there is no Redis (storage/counter-sql-store.ts).
      await db.schema
        .createTable('attempt_counters')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('stamp', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attempt_counters_expiry').on('attempt_counters').column('expires_at').execute();
    },
  };
}
