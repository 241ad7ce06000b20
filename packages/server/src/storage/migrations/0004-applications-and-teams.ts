import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** 0004_applications_and_teams. */
export function migration0004(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // Who asked for an application and how an administrator decided (null for CLI-made ones).
      for (const [column, type] of [
        ['requested_by', 'text'],
        ['decision_reason', 'text'],
        ['decided_by', 'text'],
        ['decided_at', big],
      ] as const) {
        await db.schema.alterTable('applications').addColumn(column, type).execute();
      }
      await db.schema.createIndex('applications_requested_by').on('applications').columns(['requested_by', 'created_at']).execute();

      await db.schema
        .createTable('application_members')
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('joined_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('application_members_pk', ['application_id', 'user_id'])
        .execute();
      await db.schema.createIndex('application_members_user').on('application_members').column('user_id').execute();

      await db.schema
        .createTable('invitations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('invited_by', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('accepted_at', big)
        .addColumn('accepted_by', 'text')
        .execute();
      await db.schema.createIndex('invitations_application').on('invitations').column('application_id').execute();

      await db.schema
        .createTable('environment_registrations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
        .addColumn('env', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text')
        .addColumn('requested_at', big, (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', big)
        .addColumn('reason', 'text')
        .addColumn('client_id', 'text')
        .addUniqueConstraint('environment_registrations_application_env', ['application_id', 'env'])
        .execute();
    },
  };
}
