import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './domain/clock.js';
import type { Storage } from './domain/storage.js';
import type { AuthenticateUserDeps, Defer } from './domain/users/authenticate-user.js';
import type { LoginThrottle } from './domain/users/login-throttle.js';
import { createLoginThrottle } from './domain/users/login-throttle.js';
import { createAttemptWindow, type AttemptWindow } from './domain/users/attempt-window.js';
import { createRecentAttemptCounters } from './domain/users/recent-attempt-counts.js';
import { createRedisAttemptCounters } from './redis/redis-attempt-counters.js';
import { openRedis } from './redis/redis-client.js';

export interface LoginDeps {
  readonly login: AuthenticateUserDeps;
  /** Failed client authentications per client id and address, where an endpoint reveals unknown ids. */
  readonly clientThrottle: LoginThrottle;
  /** Sign-ups per address and hour (LATCHKEY_SIGNUPS_PER_HOUR), and notices to an existing account's owner. */
  readonly signUps: AttemptWindow;
  /** Waits for deferred bookkeeping (audit records) still running. */
  settle(): Promise<void>;
  /** Resolves when the shared counters answer (Redis, when configured); null when they live in this process. */
  readonly ping: (() => Promise<void>) | null;
  close(): Promise<void>;
}

/** Another instance's failures reach this one's client throttle within `freshMs` (every change must within 1 s). */
const CLIENT_THROTTLE_MEMORY = { freshMs: 250, capacity: 100_000 } as const;

/**
 * Wires user authentication and the sign-up limit. Every limit and de-duplication is shared by every
 * process: its counters are in Redis when LATCHKEY_REDIS_URL is set, else in the database. Audit and
 * lock-out records are written after the answer.
 */
export function createLoginDeps(config: Config, storage: Storage, clock: Clock, log: Logger): LoginDeps {
  const redis = config.redisUrl ? openRedis(config.redisUrl) : null;
  const counters = redis ? createRedisAttemptCounters(redis) : storage.counters;
  const pending = new Set<Promise<unknown>>();
  const defer: Defer = (what, task) => {
    const running = task()
      .catch((error: unknown) => log.error({ err: error }, `${what} failed`))
      .finally(() => pending.delete(running));
    pending.add(running);
  };
  return {
    login: { storage, throttle: createLoginThrottle(counters, clock), clock, defer },
    // The access-token dialect checks it on every request: counts read in the last 250 ms answer from memory.
    clientThrottle: createLoginThrottle(createRecentAttemptCounters(counters, CLIENT_THROTTLE_MEMORY), clock, undefined, 'client'),
    signUps: createAttemptWindow({ counters, limit: config.signUpsPerHour, windowMs: 60 * 60_000, clock, namespace: 'signup' }),
    async settle() {
      await Promise.all([...pending]);
    },
    ping: redis
      ? async () => {
          await redis.ping();
        }
      : null,
    async close() {
      await Promise.all([...pending]);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
