import type { Session, SessionStore } from '../domain/sessions/session.js';
import type { Database } from './schema.js';
import { storable, type SqlContext } from './sql-context.js';

function toSession(row: Database['sessions']): Session {
  return {
    id: row.id,
    userId: row.user_id,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    address: row.address,
    userAgent: row.user_agent,
  };
}

/** Sessions are not in the change log: no process caches them (each request reads its session). */
export function createSessionSqlStore(ctx: SqlContext): SessionStore {
  const { db } = ctx;
  return {
    async create(session) {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          secret_hash: session.secretHash,
          created_at: session.createdAt,
          last_seen_at: session.lastSeenAt,
          expires_at: session.expiresAt,
          address: session.address,
          user_agent: session.userAgent,
        })
        .execute();
    },
    async get(id) {
      if (!storable(id)) return null;
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async touch(id, at) {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).where('last_seen_at', '<', at).execute();
    },
    async delete(id) {
      if (!storable(id)) return false;
      const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async deleteForUser(userId) {
      if (!storable(userId)) return 0;
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async prune(now, idleBefore) {
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
