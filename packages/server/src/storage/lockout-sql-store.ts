import type { Lockout, LockoutScope, LockoutStore } from '../domain/users/lockout.js';
import { storable, type SqlContext } from './sql-context.js';

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
