import type { RevocationStore } from '../domain/tokens/denylist.js';
import { atomically, recordChange, storable, type SqlContext } from './sql-context.js';

export function createRevocationSqlStore(ctx: SqlContext): RevocationStore {
  const { db } = ctx;
  return {
    add: (token) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'revocation', token.jti);
        await trx
          .insertInto('revoked_tokens')
          .values({ jti: token.jti, expires_at: token.expiresAt })
          .onConflict((oc) => oc.column('jti').doNothing())
          .execute();
      }),
    async listActive(now) {
      const rows = await db.selectFrom('revoked_tokens').selectAll().where('expires_at', '>', now).execute();
      return rows.map((r) => ({ jti: r.jti, expiresAt: r.expires_at }));
    },
    async get(jti) {
      if (!storable(jti)) return null;
      const row = await db.selectFrom('revoked_tokens').selectAll().where('jti', '=', jti).executeTakeFirst();
      return row ? { jti: row.jti, expiresAt: row.expires_at } : null;
    },
    async prune(now) {
      const result = await db.deleteFrom('revoked_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
