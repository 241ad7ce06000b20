import type { RevocationStateStore } from '../domain/oauth/revocation-state.js';
import { toToken } from './personal-token-sql-store.js';
import type { SqlContext } from './sql-context.js';

/** The revocation feed's snapshot reads (domain/oauth/revocation-state.ts). */
export function createRevocationStateSqlStore(ctx: SqlContext): RevocationStateStore {
  const { db } = ctx;
  return {
    async disabledClients() {
      const rows = await db.selectFrom('clients').select('client_id').where('enabled', '=', 0).orderBy('client_id').execute();
      return rows.map((r) => r.client_id);
    },
    async disabledUsers() {
      const rows = await db.selectFrom('users').select('id').where('disabled_at', 'is not', null).orderBy('id').execute();
      return rows.map((r) => r.id);
    },
    async generations(since) {
      const rows = await db
        .selectFrom('token_watermarks')
        .select(['subject', 'generation'])
        .where('generation', '>', 0)
        .where('updated_at', '>=', since)
        .orderBy('subject')
        .execute();
      return rows.map((r) => ({ subject: r.subject, generation: r.generation }));
    },
    async issuedPersonalTokens(now) {
      const rows = await db.selectFrom('personal_tokens').selectAll().where('jti', 'is not', null).where('expires_at', '>', now).orderBy('id').execute();
      return rows.map(toToken);
    },
  };
}
