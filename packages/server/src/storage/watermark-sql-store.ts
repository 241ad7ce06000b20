import type { WatermarkStore } from '../domain/tokens/watermark.js';
import { atomically, recordChange, storable, type SqlContext } from './sql-context.js';

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
