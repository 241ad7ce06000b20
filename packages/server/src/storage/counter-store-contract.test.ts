import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowCounters } from '../domain/users/attempt-window.js';
import type { AttemptCounters } from '../domain/users/login-throttle.js';
import { createRedisAttemptCounters } from '../redis/redis-attempt-counters.js';
import { storageInAnotherThread } from '../../test/support/databases.js';
import { REDIS_URL, redisPrefix, redisSkip } from '../../test/support/redis.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { T } from '../../test/support/storage-rows.js';

// One contract for every place limits are counted: the database's CounterStore on SQLite and PostgreSQL,
// and Redis, which implements the same two ports. "one" and "two" are separate connections (pools,
// Redis clients), as two processes have.
type Counters = AttemptCounters & WindowCounters;

/** Where the contract runs; the stores are looked up as each test runs, once their hooks opened them. */
interface CounterStores {
  readonly one: Counters;
  readonly two: Counters;
  /** The database's: deletes what expired by `now`; Redis expires keys by itself. */
  readonly prune?: (now: number) => Promise<number>;
  /** The database's URL, which another thread can open. */
  readonly url?: () => string;
}

const WINDOW = 60_000;
let n = 0;
const key = (what: string): string => `${what}:${++n}:${Math.random().toString(36).slice(2, 8)}`;

function counterContract(store: CounterStores): void {
  it('counts failures per key from 1, stamping the last one, and reads them back in the order asked', async () => {
    const [a, b, never] = [key('a'), key('b'), key('never')];
    expect(await store.one.fail([a, b], T, WINDOW)).toEqual([{ failures: 1, lastFailureAt: T }, { failures: 1, lastFailureAt: T }]);
    expect(await store.two.fail([a], T + 5, WINDOW)).toEqual([{ failures: 2, lastFailureAt: T + 5 }]);
    expect(await store.one.read([never, a, b], T + 6)).toEqual([null, { failures: 2, lastFailureAt: T + 5 }, { failures: 1, lastFailureAt: T }]);
  });

  it('forgets a failure counter a window after its last failure, by the caller’s clock, and clears one on request', async () => {
    const [a, b] = [key('a'), key('b')];
    await store.one.fail([a, b], T, WINDOW);
    await store.one.fail([a], T + 30_000, WINDOW);
    expect(await store.two.read([a, b], T + WINDOW)).toEqual([{ failures: 2, lastFailureAt: T + 30_000 }, null]);
    expect(await store.one.fail([b], T + WINDOW, WINDOW)).toEqual([{ failures: 1, lastFailureAt: T + WINDOW }]);
    await store.two.clear(a);
    expect(await store.one.read([a], T + WINDOW)).toEqual([null]);
  });

  it('counts attempts in a fixed window that opens with the first one and ends a window later', async () => {
    const k = key('window');
    expect(await store.one.take(k, T, WINDOW)).toEqual({ count: 1, resetsAt: T + WINDOW });
    // Later attempts count in the same window; they do not move its end.
    expect(await store.two.take(k, T + 59_999, WINDOW)).toEqual({ count: 2, resetsAt: T + WINDOW });
    expect(await store.one.take(k, T + WINDOW, WINDOW)).toEqual({ count: 1, resetsAt: T + 2 * WINDOW });
  });

  it('takes any text as a key, NUL characters included', async () => {
    const k = (what: string): string => `${key(what)}\u0000ada@example.org\n127.0.0.1`;
    const failed = k('nul');
    await store.one.fail([failed], T, WINDOW);
    expect(await store.two.read([failed], T)).toEqual([{ failures: 1, lastFailureAt: T }]);
    expect((await store.one.take(k('nul-window'), T, WINDOW)).count).toBe(1);
  });

  it('gives concurrent callers on two connections a count each: n attempts in a window count 1..n', async () => {
    const k = key('race');
    const takes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store.one : store.two).take(k, T + i, WINDOW));
    const counts = (await Promise.all(takes)).map((t) => t.count).sort((x, y) => x - y);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('gives concurrent failures over overlapping keys a count each, without deadlock', async () => {
    const shared = key('address');
    const fails = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store.one : store.two).fail([key('pair'), shared], T + i, WINDOW));
    const counts = (await Promise.all(fails)).map(([pair, address]) => {
      expect(pair?.failures).toBe(1);
      return address?.failures ?? 0;
    });
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it.skipIf(store.url === undefined)('gives attempts from another thread (as another process would make them) counts of their own', async () => {
    const k = key('thread');
    const task = 'async (storage, { key, at }) => { const out = []; for (let i = 0; i < 10; i++) out.push((await storage.counters.take(key, at, 60000)).count); return out; }';
    const other = storageInAnotherThread<number[]>(store.url?.() ?? '', task, { key: k, at: T });
    await other.ready;
    other.go();
    const mine: number[] = [];
    for (let i = 0; i < 10; i++) mine.push((await store.one.take(k, T, WINDOW)).count);
    const theirs = await other.done;
    expect(theirs.ok).toBe(true);
    const all = [...mine, ...(theirs.ok ? theirs.value : [])].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it.skipIf(store.prune === undefined)('prunes what expired, and only that', async () => {
    const [gone, kept, window] = [key('gone'), key('kept'), key('window')];
    const far = T + 1_000 * WINDOW;
    await store.one.fail([gone], far, WINDOW);
    await store.one.fail([kept], far + WINDOW, WINDOW);
    await store.one.take(window, far + WINDOW, WINDOW);
    expect(await store.prune?.(far + WINDOW)).toBeGreaterThanOrEqual(1);
    // Expired counters read as absent either way; pruning makes the row go, and keeps live ones.
    expect(await store.one.read([gone, kept], far + WINDOW)).toEqual([null, { failures: 1, lastFailureAt: far + WINDOW }]);
    expect(await store.one.take(window, far + WINDOW + 1, WINDOW)).toEqual({ count: 2, resetsAt: far + 2 * WINDOW });
  });
}

describeStorageContract('counter store contract', (fx) =>
  counterContract({
    get one() {
      return fx.one.counters;
    },
    get two() {
      return fx.two.counters;
    },
    prune: (now) => fx.one.counters.prune(now),
    url: () => fx.url,
  }),
);

const skipRedis = await redisSkip('counter store contract');
describe('counter store contract on Redis', () => {
  describe.skipIf(skipRedis)('Redis', () => {
    let clients: readonly [Redis, Redis] | undefined;
    let counters: readonly [Counters, Counters] | undefined;
    const opened = (): readonly [Counters, Counters] => {
      if (!counters) throw new Error('Redis is not connected: use the stores inside a test');
      return counters;
    };
    beforeAll(() => {
      const prefix = redisPrefix();
      clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
      counters = [createRedisAttemptCounters(clients[0], prefix), createRedisAttemptCounters(clients[1], prefix)];
    });
    afterAll(() => clients?.forEach((c) => c.disconnect()));
    counterContract({
      get one() {
        return opened()[0];
      },
      get two() {
        return opened()[1];
      },
    });
  });
});
