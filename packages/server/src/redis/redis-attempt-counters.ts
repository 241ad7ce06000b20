import type { Redis } from 'ioredis';
import { DomainError } from '../domain/errors.js';
import type { AttemptCount, AttemptCounters } from '../domain/users/login-throttle.js';

// Per key: add one failure, stamp it, and let the key expire a window after its last failure; atomic.
const FAIL = `
local out = {}
for i, key in ipairs(KEYS) do
  local failures = redis.call('HINCRBY', key, 'f', 1)
  redis.call('HSET', key, 't', ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2])
  out[i] = failures
end
return out`;

function unavailable(error: unknown): DomainError {
  return new DomainError('unavailable', 'the login rate limiter (Redis) is unreachable; try again shortly', { cause: error });
}

/**
 * Failure counters in Redis, shared by every instance (LATCHKEY_REDIS_URL). Each counter is a hash
 * `{f: failures, t: last failure ms}` that expires a window after its last failure.
 */
export function createRedisAttemptCounters(redis: Redis, prefix = 'latchkey:throttle:'): AttemptCounters {
  const k = (key: string): string => `${prefix}${key}`;
  return {
    async read(keys) {
      try {
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.hmget(k(key), 'f', 't');
        const results = (await pipeline.exec()) ?? [];
        return results.map(([error, value]): AttemptCount | null => {
          if (error) throw error;
          const [f, t] = value as [string | null, string | null];
          return f === null || t === null ? null : { failures: Number(f), lastFailureAt: Number(t) };
        });
      } catch (error) {
        throw unavailable(error);
      }
    },
    async fail(keys, now, windowMs) {
      try {
        const counts = (await redis.eval(FAIL, keys.length, ...keys.map(k), String(now), String(windowMs))) as number[];
        return counts.map((failures) => ({ failures, lastFailureAt: now }));
      } catch (error) {
        throw unavailable(error);
      }
    },
    async clear(key) {
      try {
        await redis.del(k(key));
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}
