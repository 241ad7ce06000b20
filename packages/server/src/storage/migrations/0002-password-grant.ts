import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** 0002_password_grant. */
export function migration0002(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // Per-subject "not before", as a generation counter: tokens carrying an older `gen` are superseded.
      await db.schema
        .createTable('token_watermarks')
        .addColumn('subject', 'text', (c) => c.primaryKey())
        .addColumn('generation', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      // Login lock-outs for administrators to see; the counters themselves live in memory or Redis.
      await db.schema
        .createTable('login_lockouts')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_at', big, (c) => c.notNull())
        .addColumn('locked_until', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('login_lockouts_key', ['scope', 'account', 'address'])
        .execute();
      await db.schema.createIndex('login_lockouts_until').on('login_lockouts').column('locked_until').execute();
    },
  };
}
