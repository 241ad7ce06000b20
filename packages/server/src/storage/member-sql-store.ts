import type { Member, MemberStore, Membership, TeamRole } from '../domain/members/member.js';
import type { Database } from './schema.js';
import { atomically, recordChange, storable, type SqlContext } from './sql-context.js';

function toMembership(row: Database['application_members']): Membership {
  return { applicationId: row.application_id, userId: row.user_id, role: row.role as TeamRole, joinedAt: row.joined_at };
}

// Every mutating method starts with recordChange, which takes the store-wide write lock (the `meta` row):
// team changes run one at a time, so a count read after it stays true until commit.

export function createMemberSqlStore(ctx: SqlContext): MemberStore {
  const { db } = ctx;
  return {
    add: (m) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'team', m.applicationId);
        const result = await trx
          .insertInto('application_members')
          .values({ application_id: m.applicationId, user_id: m.userId, role: m.role, joined_at: m.joinedAt })
          .onConflict((oc) => oc.columns(['application_id', 'user_id']).doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
      }),
    async get(applicationId, userId) {
      if (!storable(applicationId) || !storable(userId)) return null;
      const row = await db
        .selectFrom('application_members')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? toMembership(row) : null;
    },
    async list(applicationId) {
      const rows = await db
        .selectFrom('application_members')
        .innerJoin('users', 'users.id', 'application_members.user_id')
        .selectAll('application_members')
        .select(['users.email', 'users.name'])
        .where('application_id', '=', applicationId)
        .orderBy('joined_at')
        .orderBy('users.email')
        .execute();
      return rows.map((row): Member => ({ ...toMembership(row), email: row.email, name: row.name }));
    },
    remove: (applicationId, userId) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'team', applicationId);
        const rows = await trx.selectFrom('application_members').select('user_id').where('application_id', '=', applicationId).execute();
        if (!rows.some((r) => r.user_id === userId)) return 'not_member';
        if (rows.length === 1) return 'last_member';
        await trx.deleteFrom('application_members').where('application_id', '=', applicationId).where('user_id', '=', userId).execute();
        return 'removed';
      }),
  };
}
