import type { Lockout, LockoutScope, LockoutStore } from '../domain/users/lockout.js';
import type { WatermarkStore } from '../domain/tokens/watermark.js';
import { atomically, recordChange, storable, type SqlContext } from './sql-context.js';

export function createLockoutSqlStore(ctx: SqlContext): LockoutStore {
  const { db } = ctx;
  return {
    async record(lockout) {
      const row = {
        scope: lockout.scope,
        account: lockout.account ?? '',
        address: lockout.address,
        failures: lockout.failures,
        locked_at: lockout.lockedAt,
        locked_until: lockout.lockedUntil,
      };
      if (!storable(row.account) || !storable(row.address)) return;
      await db
        .insertInto('login_lockouts')
        .values(row)
        .onConflict((oc) => oc.columns(['scope', 'account', 'address']).doUpdateSet({ failures: row.failures, locked_at: row.locked_at, locked_until: row.locked_until }))
        .execute();
    },
    async listActive(now) {
      const rows = await db.selectFrom('login_lockouts').selectAll().where('locked_until', '>', now).orderBy('locked_until', 'desc').orderBy('address').execute();
      return rows.map(
        (r): Lockout => ({
          scope: r.scope as LockoutScope,
          account: r.scope === 'address' ? null : r.account,
          address: r.address,
          failures: r.failures,
          lockedAt: r.locked_at,
          lockedUntil: r.locked_until,
        }),
      );
    },
    async prune(now) {
      const result = await db.deleteFrom('login_lockouts').where('locked_until', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export function createWatermarkSqlStore(ctx: SqlContext): WatermarkStore {
  const { db } = ctx;
  return {
    advance: (subject, at) =>
      atomically(db, async (trx) => {
        // The change log's lock (taken first) serialises writers, so the increment never races.
        await recordChange(ctx, trx, 'watermark', subject);
        const row = await trx
          .insertInto('token_watermarks')
          .values({ subject, generation: 1, updated_at: at })
          .onConflict((oc) => oc.column('subject').doUpdateSet((eb) => ({ generation: eb('token_watermarks.generation', '+', 1), updated_at: at })))
          .returning('generation')
          .executeTakeFirstOrThrow();
        return row.generation;
      }),
    async get(subject) {
      if (!storable(subject)) return 0;
      const row = await db.selectFrom('token_watermarks').select('generation').where('subject', '=', subject).executeTakeFirst();
      return row?.generation ?? 0;
    },
  };
}
