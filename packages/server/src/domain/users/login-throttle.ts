import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Lockout, LockoutScope } from './lockout.js';
import { remembersRecentCounts } from './recent-attempt-counts.js';

/** Failed attempts counted under one key, and when the last one happened (ms). */
export interface AttemptCount {
  readonly failures: number;
  readonly lastFailureAt: number;
}

/**
 * Where failure counters live: Redis when it is configured, else the database (Storage.counters); either
 * way every process sees the same counts. A counter is forgotten `windowMs` after its last failure, by the
 * caller's clock (`now`).
 */
export interface AttemptCounters {
  /** The counter under each key, in order; null where there is none (never failed, forgotten by `now`, or cleared). */
  read(keys: readonly string[], now: number): Promise<(AttemptCount | null)[]>;
  /**
   * Adds one failure to each key at `now` and returns the counts after it. Atomic per key: concurrent
   * callers, in any process, each get a count of their own (n callers on a fresh key get 1..n).
   */
  fail(keys: readonly string[], now: number, windowMs: number): Promise<AttemptCount[]>;
  clear(key: string): Promise<void>;
}

/** One limit: free attempts, then doubling waits between attempts, then a lock-out. */
export interface ThrottleLimit {
  /** Failures allowed before any wait. */
  readonly free: number;
  /** First wait after `free` failures; doubles with each further failure, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Failures after which every attempt is refused for `lockMs` after the last one. */
  readonly lockAfter: number;
  readonly lockMs: number;
}

export interface ThrottlePolicy {
  /** Per account and address: a person mistyping, or someone guessing one account from one place. */
  readonly pair: ThrottleLimit;
  /** Per address, every account together: one place spraying guesses over many accounts. */
  readonly address: ThrottleLimit;
  /** How long counters remember failures after the last one. */
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  pair: { free: 3, baseDelayMs: 1_000, maxDelayMs: 60_000, lockAfter: 10, lockMs: 15 * 60_000 },
  address: { free: 20, baseDelayMs: 1_000, maxDelayMs: 60_000, lockAfter: 100, lockMs: 15 * 60_000 },
  windowMs: 15 * 60_000,
};

/** When the next attempt may be made under this limit (ms), or 0 when it may be made at once. */
export function nextAttemptAt(limit: ThrottleLimit, count: AttemptCount | null): number {
  if (!count || count.failures < limit.free) return 0;
  if (count.failures >= limit.lockAfter) return count.lastFailureAt + limit.lockMs;
  const delay = Math.min(limit.maxDelayMs, limit.baseDelayMs * 2 ** (count.failures - limit.free));
  return count.lastFailureAt + delay;
}

export interface LoginAttempt {
  /** The normalised email, whether or not such a user exists (so refusals reveal nothing). */
  readonly account: string;
  readonly address: string;
}

export interface LoginThrottle {
  /**
   * Rejects with DomainError `rate_limited` (with retryAfterSeconds) when this attempt must wait. Returns
   * undefined instead of a promise when the counters answered from memory and the attempt may go ahead
   * (RecentAttemptCounters), so a token endpoint's check costs no promise.
   */
  check(attempt: LoginAttempt): Promise<void> | undefined;
  /** Counts a failure; returns the lock-outs this failure started (for the audit log and the lock-out list). */
  fail(attempt: LoginAttempt): Promise<Lockout[]>;
  /** A correct password from this address: forget this pair's failures (the address counter stays). */
  succeed(attempt: LoginAttempt): Promise<void>;
}

/**
 * Counters are kept per (account, address) and per address, never per account alone: a lock-out on a
 * shared per-account counter would let anyone lock the owner out by guessing wrong on purpose. So the
 * owner, logging in from their own address, is refused only for failures from that address.
 */
export function createLoginThrottle(
  counters: AttemptCounters,
  clock: Clock,
  policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
  /** Keeps throttles sharing one counter store apart (user logins, client ids at a revealing endpoint). */
  namespace = 'login',
): LoginThrottle {
  const pairKey = (a: LoginAttempt): string => `${namespace}:pair:${a.account}\n${a.address}`;
  const addressKey = (a: LoginAttempt): string => `${namespace}:address:${a.address}`;
  const refusal = (pair: AttemptCount | null | undefined, address: AttemptCount | null | undefined, now: number): DomainError | null => {
    const at = Math.max(nextAttemptAt(policy.pair, pair ?? null), nextAttemptAt(policy.address, address ?? null));
    if (at <= now) return null;
    const seconds = Math.ceil((at - now) / 1000);
    return new DomainError('rate_limited', `too many failed attempts; try again in ${seconds} second${seconds === 1 ? '' : 's'}`, { retryAfterSeconds: seconds });
  };
  return {
    check(attempt) {
      const now = clock.now();
      const keys = [pairKey(attempt), addressKey(attempt)];
      const known = remembersRecentCounts(counters) ? counters.peek(keys, now) : undefined;
      if (known !== undefined) {
        const refused = refusal(known[0], known[1], now);
        return refused ? Promise.reject(refused) : undefined;
      }
      return counters.read(keys, now).then(([pair, address]) => {
        const refused = refusal(pair, address, now);
        if (refused) throw refused;
      });
    },
    async fail(attempt) {
      const now = clock.now();
      const [pair, address] = await counters.fail([pairKey(attempt), addressKey(attempt)], now, policy.windowMs);
      const started: Lockout[] = [];
      const lockout = (scope: LockoutScope, limit: ThrottleLimit, count: AttemptCount | undefined): void => {
        if (count?.failures === limit.lockAfter) {
          started.push({ scope, account: scope === 'pair' ? attempt.account : null, address: attempt.address, failures: count.failures, lockedAt: now, lockedUntil: now + limit.lockMs });
        }
      };
      lockout('pair', policy.pair, pair);
      lockout('address', policy.address, address);
      return started;
    },
    succeed: (attempt) => counters.clear(pairKey(attempt)),
  };
}
