import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import type { Storage } from '../storage.js';
import { createAttemptWindow } from './attempt-window.js';

describe('attempt window', () => {
  let database: SqlDatabase;
  let storage: Storage;
  let now = 1_000_000;
  const clock = { now: () => now };
  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
  });
  afterAll(() => database.close());

  it('allows `limit` attempts per key per window, then answers the seconds left, and forgets after the window', async () => {
    const window = createAttemptWindow({ counters: storage.counters, limit: 2, windowMs: 60_000, clock, namespace: 'test' });
    expect(await window.take('a')).toBeNull();
    expect(await window.take('a')).toBeNull();
    expect(await window.take('b')).toBeNull();
    now += 15_000;
    expect(await window.take('a')).toBe(45);
    expect(await window.take('c', 1)).toBeNull();
    expect(await window.take('c', 1)).toBe(60);
    now += 45_000;
    expect(await window.take('a')).toBeNull();
  });

  it('keeps windows of different namespaces apart', async () => {
    const signUps = createAttemptWindow({ counters: storage.counters, limit: 1, windowMs: 60_000, clock, namespace: 'one' });
    const notices = createAttemptWindow({ counters: storage.counters, limit: 1, windowMs: 60_000, clock, namespace: 'two' });
    expect(await signUps.take('k')).toBeNull();
    expect(await notices.take('k')).toBeNull();
    expect(await signUps.take('k')).toBe(60);
  });
});
