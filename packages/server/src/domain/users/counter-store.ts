import type { WindowCounters } from './attempt-window.js';
import type { AttemptCounters } from './login-throttle.js';

/**
 * Failure counters (login throttles) and attempt windows (sign-up limits, notice de-duplication) in the
 * database, so that every process on it shares them when no Redis is configured. Callers use it outside
 * transactions (an attempt counts even when the work it allowed then fails); it records nothing in the
 * change log, since no cache holds counters. A key serves either as a failure counter or as a window,
 * never both (callers keep them apart by namespace). Keys are whatever the callers build; they are stored as given, except that NUL characters,
 * which PostgreSQL cannot store, become U+FFFD on every database alike.
 */
export interface CounterStore extends AttemptCounters, WindowCounters {
  /** Deletes every counter and window that has expired by `now`; returns how many. */
  prune(now: number): Promise<number>;
}
