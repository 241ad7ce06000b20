import type { Member, MemberStore, Membership, TeamRole } from '../domain/members/member.js';
import type { Invitation, InvitationStore } from '../domain/invitations/invitation.js';
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

function toInvitation(row: Database['invitations']): Invitation {
  return {
    id: row.id,
    applicationId: row.application_id,
    email: row.email,
    tokenHash: row.token_hash,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
  };
}

export function createInvitationSqlStore(ctx: SqlContext): InvitationStore {
  const { db } = ctx;
  return {
    create: (inv) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'team', inv.applicationId);
        await trx
          .insertInto('invitations')
          .values({
            id: inv.id,
            application_id: inv.applicationId,
            email: inv.email.toLowerCase(),
            token_hash: inv.tokenHash,
            invited_by: inv.invitedBy,
            created_at: inv.createdAt,
            expires_at: inv.expiresAt,
            accepted_at: inv.acceptedAt,
            accepted_by: inv.acceptedBy,
          })
          .execute();
      }),
    async getByTokenHash(tokenHash) {
      if (!storable(tokenHash)) return null;
      const row = await db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? toInvitation(row) : null;
    },
    async listOpen(applicationId, now) {
      const rows = await db
        .selectFrom('invitations')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toInvitation);
    },
    markAccepted: (invitationId, userId, at) =>
      atomically(db, async (trx) => {
        const row = await trx.selectFrom('invitations').select('application_id').where('id', '=', invitationId).executeTakeFirst();
        if (!row) return false;
        await recordChange(ctx, trx, 'team', row.application_id);
        // Conditional on "not accepted yet": under the write lock, only the first caller's update matches.
        const result = await trx
          .updateTable('invitations')
          .set({ accepted_at: at, accepted_by: userId })
          .where('id', '=', invitationId)
          .where('accepted_at', 'is', null)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
  };
}
