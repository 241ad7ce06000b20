import { expect, it } from 'vitest';
import type { Lockout } from '../domain/users/lockout.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { T } from '../../test/support/storage-rows.js';

// The lock-out and watermark stores, on every database (the rest of the contract: storage-contract.test.ts).

describeStorageContract('lock-out and watermark stores', ({ one: s, two: t }) => {
  it('lock-outs: record replaces the same scope, account and address; listActive and prune by end time', async () => {
    const pair: Lockout = { scope: 'pair', account: 'ada@example.org', address: '192.0.2.1', failures: 10, lockedAt: T, lockedUntil: T + 900_000 };
    const wide: Lockout = { scope: 'address', account: null, address: '192.0.2.1', failures: 100, lockedAt: T, lockedUntil: T + 1_000_000 };
    await s.lockouts.record(pair);
    await s.lockouts.record(wide);
    await s.lockouts.record({ ...pair, failures: 11, lockedUntil: T + 950_000 });
    await s.lockouts.record({ ...pair, account: 'nul\u0000@example.org' });
    expect(await s.lockouts.listActive(T)).toStrictEqual([wide, { ...pair, failures: 11, lockedUntil: T + 950_000 }]);
    expect(await s.lockouts.listActive(T + 960_000)).toStrictEqual([wide]);
    expect(await s.lockouts.prune(T + 960_000)).toBe(1);
    expect(await s.lockouts.listActive(0)).toStrictEqual([wide]);
  });

  it('watermarks: advance counts up from 1 per subject and records a change; get is 0 for none', async () => {
    expect(await s.watermarks.get('user-a')).toBe(0);
    expect(await s.watermarks.get('nul\u0000')).toBe(0);
    const seq = await s.changes.latest();
    expect(await s.watermarks.advance('user-a', T)).toBe(1);
    expect(await s.changes.since(seq, 10)).toStrictEqual([{ seq: seq + 1, entity: 'watermark', id: 'user-a', at: expect.any(Number) }]);
    expect(await s.watermarks.advance('user-a', T)).toBe(2);
    expect(await s.watermarks.advance('user-b', T)).toBe(1);
    expect(await s.watermarks.get('user-a')).toBe(2);
  });

  it('watermarks: concurrent advances from two connections each get a distinct generation', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? s : t).watermarks.advance('user-c', T)));
    expect([...results].sort((a, b) => a - b)).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await t.watermarks.get('user-c')).toBe(10);
  });
});
