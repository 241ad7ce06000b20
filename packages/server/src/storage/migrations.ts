import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SqlDialectName } from './schema.js';
import { personalTokensMigration } from './personal-token-migration.js';

/**
 * The schema, as a static forward-only list: a released migration is never edited, only followed by
 * another. The same list runs on SQLite and PostgreSQL; `dialect` picks the few types that differ.
 */
function migrations(dialect: SqlDialectName): Record<string, Migration> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001_token_server': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('meta')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('change_seq', big, (c) => c.notNull())
          .addColumn('lock_seq', big, (c) => c.notNull())
          .execute();
        await sql`insert into meta (id, change_seq, lock_seq) values (1, 0, 0)`.execute(db);

        await db.schema
          .createTable('changes')
          .addColumn('seq', big, (c) => c.primaryKey())
          .addColumn('entity', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('services')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('audiences', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('updated_at', big, (c) => c.notNull())
          .addColumn('retired_at', big)
          .execute();

        await db.schema
          .createTable('applications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('acronym', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('updated_at', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('clients')
          .addColumn('client_id', 'text', (c) => c.primaryKey())
          .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
          .addColumn('env', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('token_ttl', 'integer', (c) => c.notNull())
          .addColumn('grants', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('updated_at', big, (c) => c.notNull())
          .addColumn('rotated_at', big)
          .addColumn('last_used_at', big)
          .addUniqueConstraint('clients_application_env', ['application_id', 'env'])
          .execute();

        await db.schema
          .createTable('client_secrets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('expires_at', big)
          .addColumn('last_used_at', big)
          .execute();
        await db.schema.createIndex('client_secrets_client').on('client_secrets').column('client_id').execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('roles', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('disabled_at', big)
          .execute();

        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_key', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('activates_at', big)
          .addColumn('revoked_at', big)
          .execute();

        await db.schema
          .createTable('revoked_tokens')
          .addColumn('jti', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', big, (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('address', 'text')
          .addColumn('details', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0005_mail_outbox': {
      async up(db: Kysely<unknown>) {
        // Every message the server sends, written in the transaction of the change it reports and
        // delivered by the background mail loop (domain/mail/outbox.ts). `recipient` is the "to" address.
        await db.schema
          .createTable('mail_outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('html', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', big, (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('sent_at', big)
          .execute();
        await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
        await db.schema.createIndex('mail_outbox_created').on('mail_outbox').columns(['created_at', 'id']).execute();
      },
    },
    '0002_password_grant': {
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
    },
    '0004_applications_and_teams': {
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
    },
    '0006_personal_tokens': personalTokensMigration(dialect),
    '0007_application_requested_at': {
      async up(db: Kysely<unknown>) {
        // When an application was last asked for: created_at stays the first request, a request made again
        // after a rejection moves this. Until now a pending application's updated_at was that moment.
        await db.schema.alterTable('applications').addColumn('requested_at', big, (c) => c.notNull().defaultTo(0)).execute();
        await sql`update applications set requested_at = case when status = 'pending' then updated_at else created_at end`.execute(db);
      },
    },
    '0003_portal_sessions': {
      async up(db: Kysely<unknown>) {
        // Portal log-ins. Only an HMAC of the cookie's secret half is stored (see domain/sessions/session.ts).
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('last_seen_at', big, (c) => c.notNull())
          .addColumn('expires_at', big, (c) => c.notNull())
          .addColumn('address', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
        // The catalog's base URL per environment (Postman example calls), JSON like audiences.
        await db.schema.alterTable('services').addColumn('base_urls', 'text', (c) => c.notNull().defaultTo('{}')).execute();
        // Audit filters: by actor and by target, newest first.
        await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor', 'id']).execute();
        await db.schema.createIndex('audit_events_target').on('audit_events').columns(['target', 'id']).execute();
      },
    },
    '0008_attempt_counters': {
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
    },
  };
}

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}
