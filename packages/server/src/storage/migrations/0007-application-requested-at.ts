import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** 0007_application_requested_at. */
export function migration0007(dialect: SqlDialectName): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // When an application was last asked for: created_at stays the first request, a request made again
      // after a rejection moves this. Until now a pending application's updated_at was that moment.
      await db.schema.alterTable('applications').addColumn('requested_at', big, (c) => c.notNull().defaultTo(0)).execute();
      await sql`update applications set requested_at = case when status = 'pending' then updated_at else created_at end`.execute(db);
    },
  };
}
