import type { Redis } from 'ioredis';
import { DomainError } from '../domain/errors.js';
import type { WindowCounters } from '../domain/users/attempt-window.js';
import type { AttemptCount, AttemptCounters } from '../domain/users/login-throttle.js';

// Each counter is a hash whose `e` is when it expires by the callers' clock (ARGV[1] is their `now`);
// PEXPIRE only lets Redis drop it afterwards. Scripts run atomically, so concurrent callers on any
// instance each get a count of their own.

// Per key: forget an expired counter, add one failure, stamp it (`t`), expire a window after it.
const FAIL = `
local out = {}
for i, key in ipairs(KEYS) do
  local e = tonumber(redis.call('HGET', key, 'e'))
  if e and e <= tonumber(ARGV[1]) then redis.call('DEL', key) end
  out[i] = redis.call('HINCRBY', key, 'f', 1)
  redis.call('HSET', key, 't', ARGV[1], 'e', ARGV[3])
  redis.call('PEXPIRE', key, ARGV[2])
end
return out`;

// One attempt in a fixed window: open a new window (count 1, ending at ARGV[3]) if there is none or it
// has ended, else count in the current one. Answers the count and the window's end.
const TAKE = `
local e = redis.call('HGET', KEYS[1], 'e')
if e and tonumber(e) > tonumber(ARGV[1]) then
  return {redis.call('HINCRBY', KEYS[1], 'c', 1), e}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', 1, 'e', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, ARGV[3]}`;

function unavailable(error: unknown): DomainError {
  return new DomainError('unavailable', 'the rate limiter (Redis) is unreachable; try again shortly', { cause: error });
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailable(error);
  }
}

/**
 * Failure counters and attempt windows in Redis, shared by every instance (LATCHKEY_REDIS_URL): the same
 * behaviour as the database's (storage/counter-sql-store.ts), without touching the database.
 */
export function createRedisAttemptCounters(redis: Redis, prefix = 'latchkey:throttle:'): AttemptCounters & WindowCounters {
  const k = (key: string): string => `${prefix}${key}`;
  return {
    read: (keys, now) =>
      guarded(async () => {
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.hmget(k(key), 'f', 't', 'e');
        const results = (await pipeline.exec()) ?? [];
        return results.map(([error, value]): AttemptCount | null => {
          if (error) throw error;
          const [f, t, e] = value as [string | null, string | null, string | null];
          if (f === null || t === null || (e !== null && Number(e) <= now)) return null;
          return { failures: Number(f), lastFailureAt: Number(t) };
        });
      }),
    fail: (keys, now, windowMs) =>
      guarded(async () => {
        const counts = (await redis.eval(FAIL, keys.length, ...keys.map(k), String(now), String(windowMs), String(now + windowMs))) as number[];
        return counts.map((failures) => ({ failures, lastFailureAt: now }));
      }),
    take: (key, now, windowMs) =>
      guarded(async () => {
        const [count, resetsAt] = (await redis.eval(TAKE, 1, k(key), String(now), String(windowMs), String(now + windowMs))) as [number, string];
        return { count, resetsAt: Number(resetsAt) };
      }),
    clear: (key) =>
      guarded(async () => {
        await redis.del(k(key));
      }),
  };
}
