import type { Clock } from '../clock.js';

/** The attempts counted in a key's current window, and when that window ends (ms). */
export interface WindowCount {
  readonly count: number;
  readonly resetsAt: number;
}

/**
 * Fixed-window attempt counts, where every process sees the same ones: Redis when it is configured, else
 * the database (Storage.counters).
 */
export interface WindowCounters {
  /**
   * Counts one attempt under `key` at `now`: the first attempt, or the first after the window ended
   * (`resetsAt <= now`), opens a window of `windowMs` with count 1; later ones add to it. Atomic per key:
   * concurrent callers, in any process, each get a count of their own (n callers in one window get 1..n),
   * so at most `limit` of them ever see a count within the limit.
   */
  take(key: string, now: number, windowMs: number): Promise<WindowCount>;
}

/** A limit on attempts per key and window, shared by every process (sign-ups per address, notices per account). */
export interface AttemptWindow {
  /** Counts an attempt; null when allowed (at most `limit` per window), else the seconds until the key may try again. */
  take(key: string, limit?: number): Promise<number | null>;
}

export function createAttemptWindow(options: {
  readonly counters: WindowCounters;
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** Keeps windows sharing one counter store apart from each other and from failure counters. */
  readonly namespace: string;
}): AttemptWindow {
  return {
    async take(key, limit = options.limit) {
      const now = options.clock.now();
      const { count, resetsAt } = await options.counters.take(`${options.namespace}:${key}`, now, options.windowMs);
      return count > limit ? Math.max(1, Math.ceil((resetsAt - now) / 1000)) : null;
    },
  };
}
