import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/**
 * 0006: personal access token records. Names are unique per user (revoked records keep theirs until
 * deleted); the notice columns record which expiry reminders were sent, so the daily job sends each once
 * however many instances run it.
 */
export function migration0006(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('personal_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('jti', 'text')
        .addColumn('generated_at', big)
        .addColumn('last_used_at', big)
        .addColumn('last_used_from', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('revoked_at', big)
        .addColumn('revoked_by', 'text')
        .addColumn('notice_expiry_7d_at', big)
        .addColumn('notice_expiry_1d_at', big)
        .addUniqueConstraint('personal_tokens_user_name', ['user_id', 'name'])
        .execute();
      await db.schema.createIndex('personal_tokens_expiry').on('personal_tokens').column('expires_at').execute();
      await db.schema.createIndex('personal_tokens_user').on('personal_tokens').column('user_id').execute();
    },
  };
}
