import type { Invitation, InvitationStore } from '../domain/invitations/invitation.js';
import type { Database } from './schema.js';
import { atomically, recordChange, storable, type SqlContext } from './sql-context.js';

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
