import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache, type NativeSqlite } from './statement-cache.js';

function counted(native: BetterSqlite3.Database): { db: NativeSqlite; prepared: string[] } {
  const prepared: string[] = [];
  return { prepared, db: { prepare: (text) => (prepared.push(text), native.prepare(text)), close: () => native.close() } };
}

describe('the SQLite statement cache', () => {
  it('prepares each SQL text once, whatever the parameters, and answers as before', async () => {
    const native = new BetterSqlite3(':memory:');
    const { db, prepared } = counted(native);
    const kysely = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) });
    await sql`create table t (id integer primary key, name text)`.execute(kysely);
    for (let i = 1; i <= 5; i++) await kysely.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    for (let i = 1; i <= 5; i++) expect(await kysely.selectFrom('t').select('name').where('id', '=', i).executeTakeFirst()).toEqual({ name: `n${i}` });
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(1);
    // A statement reused after a schema change is prepared again by SQLite itself.
    await sql`alter table t add column extra text`.execute(kysely);
    expect(await kysely.selectFrom('t').select('name').where('id', '=', 2).executeTakeFirst()).toEqual({ name: 'n2' });
    await kysely.destroy();
  });

  it('keeps at most its capacity, dropping the oldest', async () => {
    const native = new BetterSqlite3(':memory:');
    const { db, prepared } = counted(native);
    const cache = withStatementCache(db, 2);
    cache.prepare('select 1');
    cache.prepare('select 2');
    cache.prepare('select 3');
    cache.prepare('select 2');
    cache.prepare('select 1');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 1']);
    native.close();
  });
});
