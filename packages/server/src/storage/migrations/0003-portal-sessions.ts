import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** 0003_portal_sessions. */
export function migration0003(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
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
  };
}
