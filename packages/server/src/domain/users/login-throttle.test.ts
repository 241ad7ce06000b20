import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { createRedisAttemptCounters } from '../../redis/redis-attempt-counters.js';
import { openDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { REDIS_URL, redisPrefix, redisSkip } from '../../../test/support/redis.js';
import { createRecentAttemptCounters } from './recent-attempt-counts.js';
import { createLoginThrottle, DEFAULT_THROTTLE_POLICY, type AttemptCounters, type LoginAttempt, type LoginThrottle } from './login-throttle.js';

const skipRedis = await redisSkip('login throttle');
const redis = skipRedis ? null : new Redis(REDIS_URL);
// The database's counters (what a deployment without Redis uses); PostgreSQL's are the contract suite's.
const database = await openDatabase('sqlite::memory:');
await database.migrate();
afterAll(async () => {
  redis?.disconnect();
  await database.close();
});

const backends: { name: string; skip: boolean; counters: () => AttemptCounters }[] = [
  { name: 'database', skip: false, counters: () => createSqlStorage(database).counters },
  // What the access-token dialect's client throttle uses: the same rules hold through the memory.
  { name: 'database, remembered', skip: false, counters: () => createRecentAttemptCounters(createSqlStorage(database).counters, { freshMs: 250, capacity: 1000 }) },
  { name: 'Redis', skip: skipRedis, counters: () => createRedisAttemptCounters(redis as Redis, redisPrefix()) },
];

async function refusal(work: Promise<unknown> | undefined): Promise<DomainError | null> {
  const error: unknown = await Promise.resolve(work).then(() => null, (e: unknown) => e);
  if (error === null) return null;
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

// Accounts and addresses are numbered across backends: two of them share one database.
let n = 0;

describe.each(backends)('login throttle with $name counters', ({ skip, counters }) => {
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now };
  const { pair, address } = DEFAULT_THROTTLE_POLICY;
  const fresh = (): { throttle: LoginThrottle; owner: LoginAttempt; attacker: LoginAttempt } => {
    const account = `user${++n}@example.org`;
    return { throttle: createLoginThrottle(counters(), clock), owner: { account, address: `10.0.0.${n}` }, attacker: { account, address: `192.0.2.${n}` } };
  };

  it.skipIf(skip)('lets the first failures through, then asks for doubling waits, then locks the pair out', async () => {
    const { throttle, attacker } = fresh();
    for (let i = 0; i < pair.free; i++) {
      await throttle.check(attacker);
      await throttle.fail(attacker);
    }
    const first = await refusal(throttle.check(attacker));
    expect(first?.code).toBe('rate_limited');
    expect(first?.retryAfterSeconds).toBe(1);
    now += 1_000;
    await throttle.check(attacker);
    await throttle.fail(attacker);
    expect((await refusal(throttle.check(attacker)))?.retryAfterSeconds).toBe(2);
    let started: Awaited<ReturnType<LoginThrottle['fail']>> = [];
    for (let i = pair.free + 1; i < pair.lockAfter; i++) {
      now += 60_000;
      await throttle.check(attacker);
      started = await throttle.fail(attacker);
    }
    expect(started).toEqual([{ scope: 'pair', account: attacker.account, address: attacker.address, failures: pair.lockAfter, lockedAt: now, lockedUntil: now + pair.lockMs }]);
    const locked = await refusal(throttle.check(attacker));
    expect(locked?.message).toMatch(/too many failed attempts; try again in \d+ seconds/);
    expect(locked?.retryAfterSeconds).toBe(pair.lockMs / 1000);
    now += pair.lockMs;
    await throttle.check(attacker);
  });

  it.skipIf(skip)('never refuses the owner at their own address because someone elsewhere guessed wrong', async () => {
    const { throttle, owner, attacker } = fresh();
    for (let i = 0; i < pair.lockAfter; i++) {
      now += 120_000;
      await throttle.fail(attacker);
    }
    expect((await refusal(throttle.check(attacker)))?.code).toBe('rate_limited');
    expect(await refusal(throttle.check(owner))).toBeNull();
  });

  it.skipIf(skip)('forgets a pair’s failures after a successful login, and all of them after the window', async () => {
    const { throttle, owner } = fresh();
    for (let i = 0; i < pair.free; i++) await throttle.fail(owner);
    expect(await refusal(throttle.check(owner))).not.toBeNull();
    await throttle.succeed(owner);
    expect(await refusal(throttle.check(owner))).toBeNull();
    for (let i = 0; i < pair.free; i++) await throttle.fail(owner);
    now += DEFAULT_THROTTLE_POLICY.windowMs;
    expect(await refusal(throttle.check(owner))).toBeNull();
  });

  it.skipIf(skip)('locks out an address spraying guesses over many accounts, for every account from there only', async () => {
    const { throttle, owner } = fresh();
    const sprayer = `198.51.100.${n}`;
    let started: Awaited<ReturnType<LoginThrottle['fail']>> = [];
    for (let i = 0; i < address.lockAfter; i++) {
      now += 61_000;
      const attempt = { account: `victim${i}@example.org`, address: sprayer };
      await throttle.check(attempt);
      started = await throttle.fail(attempt);
    }
    expect(started).toContainEqual({ scope: 'address', account: null, address: sprayer, failures: address.lockAfter, lockedAt: now, lockedUntil: now + address.lockMs });
    expect((await refusal(throttle.check({ account: 'someone-new@example.org', address: sprayer })))?.code).toBe('rate_limited');
    expect(await refusal(throttle.check(owner))).toBeNull();
  });
});

describe('login throttle over remembered counters (the access-token dialect’s)', () => {
  let now = Date.UTC(2026, 1, 1);
  const clock = { now: () => now };
  const shared = createSqlStorage(database).counters;
  const { pair } = DEFAULT_THROTTLE_POLICY;
  let n = 0;
  const setUp = () => {
    const remembered = createLoginThrottle(createRecentAttemptCounters(shared, { freshMs: 250, capacity: 1000 }), clock, undefined, 'client');
    const elsewhere = createLoginThrottle(shared, clock, undefined, 'client');
    return { remembered, elsewhere, attempt: { account: `client-${++n}`, address: `203.0.113.${n}` } };
  };

  it('answers a check it read a moment ago without a promise, and reads again after 250 ms', async () => {
    const { remembered, attempt } = setUp();
    await remembered.check(attempt);
    expect(remembered.check(attempt)).toBeUndefined();
    now += 249;
    expect(remembered.check(attempt)).toBeUndefined();
    now += 1;
    const again = remembered.check(attempt);
    expect(again).toBeInstanceOf(Promise);
    await again;
    expect(remembered.check(attempt)).toBeUndefined();
  });

  it('sees its own failures at once, another process’s within 250 ms', async () => {
    const own = setUp();
    await own.remembered.check(own.attempt);
    for (let i = 0; i < pair.free; i++) await own.remembered.fail(own.attempt);
    expect((await refusal(own.remembered.check(own.attempt)))?.code).toBe('rate_limited');

    const other = setUp();
    await other.remembered.check(other.attempt);
    for (let i = 0; i < pair.free; i++) await other.elsewhere.fail(other.attempt);
    expect(other.remembered.check(other.attempt)).toBeUndefined();
    now += 250;
    expect((await refusal(other.remembered.check(other.attempt)))?.code).toBe('rate_limited');
  });

  it('does not remember a read that overlapped a failure counted here', async () => {
    const slow = createSqlStorage(database).counters;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = { ...slow, read: async (keys: readonly string[], at: number) => { const counts = await slow.read(keys, at); await gate; return counts; } };
    const throttle = createLoginThrottle(createRecentAttemptCounters(gated, { freshMs: 250, capacity: 1000 }), clock, undefined, 'client');
    const attempt = { account: `client-${++n}`, address: `203.0.113.${n}` };
    const reading = throttle.check(attempt);
    for (let i = 0; i < pair.free; i++) await throttle.fail(attempt);
    release();
    await reading;
    expect((await refusal(throttle.check(attempt)))?.code).toBe('rate_limited');
  });
});
