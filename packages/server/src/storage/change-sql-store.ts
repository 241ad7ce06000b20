import type { ChangeEntity, ChangeStore } from '../domain/changes/change-feed.js';
import { type SqlContext } from './sql-context.js';

export function createChangeSqlStore(ctx: SqlContext): ChangeStore {
  const { db } = ctx;
  return {
    async latest() {
      const row = await db.selectFrom('meta').select('change_seq').where('id', '=', 1).executeTakeFirstOrThrow();
      return row.change_seq;
    },
    async since(seq, limit) {
      const rows = await db.selectFrom('changes').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ seq: r.seq, entity: r.entity as ChangeEntity, id: r.entity_id, at: r.created_at }));
    },
    async prune(before) {
      const result = await db.deleteFrom('changes').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
