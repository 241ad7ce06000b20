import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations/migration-list.js';

// 0007 adds applications.requested_at to databases that already hold applications: it must say when each
// was last asked for, which until then only a pending application's updated_at recorded.
describe('migration 0007_application_requested_at', () => {
  let db: Kysely<unknown> | undefined;
  afterEach(() => db?.destroy());

  it('backfills pending applications from updated_at and decided ones from created_at', async () => {
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
    expect((await migrator.migrateTo('0006_personal_tokens')).error).toBeUndefined();
    await sql`insert into applications (id, acronym, name, description, status, created_at, updated_at)
              values ('a1', 'WAIT', 'w', '', 'pending', 100, 500), ('a2', 'DONE', 'd', '', 'approved', 200, 900)`.execute(db);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await sql<{ acronym: string; requested_at: number }>`select acronym, requested_at from applications order by acronym`.execute(db);
    expect(rows.rows).toStrictEqual([
      { acronym: 'DONE', requested_at: 200 },
      { acronym: 'WAIT', requested_at: 500 },
    ]);
  });
});
