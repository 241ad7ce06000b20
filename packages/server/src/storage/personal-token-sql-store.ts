import type { NoticeKind, PersonalToken, PersonalTokenStore } from '../domain/personal-tokens/personal-token.js';
import type { Database } from './schema.js';
import { atomically, conflictAs, parseJson, recordChange, storable, type SqlContext } from './sql-context.js';

type Row = Database['personal_tokens'];

export function toToken(row: Row): PersonalToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scopes: parseJson<string[]>(row.scopes),
    expiresAt: row.expires_at,
    jti: row.jti,
    generatedAt: row.generated_at,
    lastUsedAt: row.last_used_at,
    lastUsedFrom: row.last_used_from,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

const NOTICE_COLUMN = { expiry_7d: 'notice_expiry_7d_at', expiry_1d: 'notice_expiry_1d_at' } as const satisfies Record<NoticeKind, keyof Row>;

/**
 * Concurrency: every mutation first appends to the change log, which takes the store-wide write lock
 * (SQLite) or the `meta` row lock (PostgreSQL) until commit, so mutations of records run one at a time and
 * each conditional update sees the previous one's result: the compare-and-set methods hand `true` to
 * exactly one of concurrent callers.
 */
export function createPersonalTokenSqlStore(ctx: SqlContext): PersonalTokenStore {
  const { db } = ctx;
  return {
    create: (token) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'personal_token', token.id);
        await conflictAs(`you have a personal access token named "${token.name}" already: choose another name or delete that one`, () =>
          trx
            .insertInto('personal_tokens')
            .values({
              id: token.id,
              user_id: token.userId,
              name: token.name,
              scopes: JSON.stringify(token.scopes),
              expires_at: token.expiresAt,
              jti: token.jti,
              generated_at: token.generatedAt,
              last_used_at: token.lastUsedAt,
              last_used_from: token.lastUsedFrom,
              created_at: token.createdAt,
              revoked_at: token.revokedAt,
              revoked_by: token.revokedBy,
              notice_expiry_7d_at: null,
              notice_expiry_1d_at: null,
            })
            .execute(),
        );
      }),
    async get(id) {
      if (!storable(id)) return null;
      const row = await db.selectFrom('personal_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    async list(filter) {
      let query = db.selectFrom('personal_tokens').selectAll().orderBy('id', 'desc').limit(filter.limit);
      if (filter.userId !== undefined) query = query.where('user_id', '=', storable(filter.userId) ? filter.userId : '');
      if (filter.before !== undefined) query = query.where('id', '<', storable(filter.before) ? filter.before : '');
      if (filter.expiresBefore !== undefined) query = query.where('expires_at', '<', filter.expiresBefore);
      const lastUsedBefore = filter.lastUsedBefore;
      if (lastUsedBefore !== undefined) {
        query = query.where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', lastUsedBefore)]));
      }
      return (await query.execute()).map(toToken);
    },
    replaceJti: (id, expected, next) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'personal_token', id);
        let update = trx
          .updateTable('personal_tokens')
          .set({ jti: next.jti, generated_at: next.at })
          .where('id', '=', id)
          .where('revoked_at', 'is', null);
        update = expected === null ? update.where('jti', 'is', null) : update.where('jti', '=', expected);
        return (await update.executeTakeFirst()).numUpdatedRows > 0n;
      }),
    revoke: (id, by, at) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'personal_token', id);
        const result = await trx
          .updateTable('personal_tokens')
          .set({ revoked_at: at, revoked_by: by })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
    delete: (id) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'personal_token', id);
        const result = await trx.deleteFrom('personal_tokens').where('id', '=', id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    recordUses: (uses) =>
      atomically(db, async (trx) => {
        for (const use of uses) {
          await trx
            .updateTable('personal_tokens')
            .set({ last_used_at: use.at, last_used_from: use.from })
            .where('id', '=', use.id)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', use.at)]))
            .execute();
        }
      }),
    async dueForNotice(kind, from, to, limit) {
      const rows = await db
        .selectFrom('personal_tokens')
        .selectAll()
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', from)
        .where('expires_at', '<=', to)
        .where(NOTICE_COLUMN[kind], 'is', null)
        .orderBy('expires_at')
        .limit(limit)
        .execute();
      return rows.map(toToken);
    },
    async liveGenerations(now) {
      const rows = await db
        .selectFrom('personal_tokens')
        .select(['generated_at', 'expires_at'])
        .where('jti', 'is not', null)
        .where('generated_at', 'is not', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      return rows.map((r) => ({ generatedAt: r.generated_at ?? 0, expiresAt: r.expires_at }));
    },
    claimNotice: (id, kind, at) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'personal_token', id);
        const column = NOTICE_COLUMN[kind];
        const result = await trx.updateTable('personal_tokens').set({ [column]: at }).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
  };
}
