import { createBoundedCache } from '../bounded-cache.js';
import type { AttemptCount, AttemptCounters } from './login-throttle.js';

/** AttemptCounters that also answer from what this process read or wrote a moment ago, without a read. */
export interface RecentAttemptCounters extends AttemptCounters {
  /**
   * The counts under `keys` if this process read or wrote every one of them within the last `freshMs`, else
   * undefined (read them). A failure counted here is known at once; one counted by another process within
   * `freshMs` of the last read.
   */
  peek(keys: readonly string[], now: number): (AttemptCount | null)[] | undefined;
}

export function remembersRecentCounts(counters: AttemptCounters): counters is RecentAttemptCounters {
  return typeof (counters as Partial<RecentAttemptCounters>).peek === 'function';
}

export interface RecentAttemptCountersOptions {
  /** How long a read stands in for the shared counters: the longest another process's failure goes unseen. */
  readonly freshMs: number;
  /** Keys remembered at most (the least recently used go first). */
  readonly capacity: number;
}

interface Remembered {
  readonly count: AttemptCount | null;
  readonly at: number;
}

/**
 * Throttle checks on a token endpoint read two counters per request, almost always empty. This keeps each
 * key's count as this process last read or wrote it, for `freshMs`, so a steady client checks in memory, and
 * an attacker hammering from one address costs one read per `freshMs`, not one per request. Writes go
 * through to the shared counters and update what is remembered, so this process sees its own failures at
 * once; other processes' within `freshMs` (well inside the 1 s every change must reach every instance).
 */
export function createRecentAttemptCounters(counters: AttemptCounters, options: RecentAttemptCountersOptions): RecentAttemptCounters {
  const recent = createBoundedCache<string, Remembered>(options.capacity);
  // Bumped by every write, so a read that overlapped one (and may predate it) is not remembered.
  let writes = 0;
  const keep = (keys: readonly string[], counts: readonly (AttemptCount | null | undefined)[], at: number): void => {
    keys.forEach((key, i) => recent.set(key, { count: counts[i] ?? null, at }));
  };
  return {
    peek(keys, now) {
      const counts: (AttemptCount | null)[] = [];
      for (const key of keys) {
        const known = recent.get(key);
        if (known === undefined || now - known.at >= options.freshMs || known.at > now) return undefined;
        counts.push(known.count);
      }
      return counts;
    },
    async read(keys, now) {
      const before = writes;
      const counts = await counters.read(keys, now);
      if (writes === before) keep(keys, counts, now);
      return counts;
    },
    async fail(keys, now, windowMs) {
      writes++;
      const counts = await counters.fail(keys, now, windowMs);
      keep(keys, counts, now);
      return counts;
    },
    async clear(key) {
      writes++;
      await counters.clear(key);
      recent.delete(key);
    },
  };
}
