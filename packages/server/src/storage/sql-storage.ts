import { sql } from 'kysely';
import type { Storage } from '../domain/storage.js';
import { createServiceSqlStore } from './catalog-sql-store.js';
import { createApplicationSqlStore } from './application-sql-store.js';
import { createMemberSqlStore } from './member-sql-store.js';
import { createInvitationSqlStore } from './invitation-sql-store.js';
import { createRegistrationSqlStore } from './registration-sql-store.js';
import { createClientSqlStore } from './client-sql-store.js';
import { createKeySqlStore } from './signing-key-sql-store.js';
import { createRevocationSqlStore } from './revocation-sql-store.js';
import { createChangeSqlStore } from './change-sql-store.js';
import { createAuditSqlLog } from './audit-sql-log.js';
import { createOutboxSqlStore } from './outbox-sql-store.js';
import { createUserSqlStore } from './user-sql-store.js';
import { createLockoutSqlStore } from './lockout-sql-store.js';
import { createWatermarkSqlStore } from './watermark-sql-store.js';
import { createPersonalTokenSqlStore } from './personal-token-sql-store.js';
import { createSessionSqlStore } from './session-sql-store.js';
import { createCounterSqlStore } from './counter-sql-store.js';
import { createRevocationStateSqlStore } from './revocation-state-sql-store.js';
import { translated, type SqlContext } from './sql-context.js';

/** The domain's Storage over Kysely, for SQLite and PostgreSQL alike. */
export function createSqlStorage(ctx: SqlContext): Storage {
  const storage: Storage = {
    services: createServiceSqlStore(ctx),
    applications: createApplicationSqlStore(ctx),
    clients: createClientSqlStore(ctx),
    users: createUserSqlStore(ctx),
    keys: createKeySqlStore(ctx),
    revocations: createRevocationSqlStore(ctx),
    changes: createChangeSqlStore(ctx),
    audit: createAuditSqlLog(ctx),
    outbox: createOutboxSqlStore(ctx),
    lockouts: createLockoutSqlStore(ctx),
    watermarks: createWatermarkSqlStore(ctx),
    members: createMemberSqlStore(ctx),
    invitations: createInvitationSqlStore(ctx),
    registrations: createRegistrationSqlStore(ctx),
    personalTokens: createPersonalTokenSqlStore(ctx),
    sessions: createSessionSqlStore(ctx),
    counters: createCounterSqlStore(ctx),
    revocationState: createRevocationStateSqlStore(ctx),
    transaction(work) {
      if (ctx.db.isTransaction) return work(storage);
      return translated(() => ctx.db.transaction().execute((trx) => work(createSqlStorage({ db: trx, dialect: ctx.dialect }))));
    },
    async lockExclusive() {
      if (!ctx.db.isTransaction) throw new TypeError('lockExclusive() is only meaningful inside a transaction');
      await ctx.db
        .updateTable('meta')
        .set((eb) => ({ lock_seq: eb('lock_seq', '+', 1) }))
        .where('id', '=', 1)
        .execute();
    },
    async ping() {
      await translated(() => sql`select 1`.execute(ctx.db));
    },
  };
  return storage;
}
