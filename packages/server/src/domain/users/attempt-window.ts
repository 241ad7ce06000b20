import type { Clock } from '../clock.js';

/**
 * Counts attempts per key in a fixed window, in this process's memory: enough to stop one address
 * creating accounts in a loop. (Several processes each keep their own count, so the limit is per process;
 * login failures, which matter more, have the shared throttle of login-throttle.ts.)
 */
export interface AttemptWindow {
  /** Counts an attempt; null when allowed (at most `limit` per window), else the seconds until the key may try again. */
  take(key: string, limit?: number): number | null;
}

export function createAttemptWindow(options: { readonly limit: number; readonly windowMs: number; readonly clock: Clock }): AttemptWindow {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    take(key, limit = options.limit) {
      const now = options.clock.now();
      if (now - lastSweep > options.windowMs) {
        for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        lastSweep = now;
      }
      const current = windows.get(key);
      if (!current || now - current.start >= options.windowMs) {
        windows.set(key, { start: now, count: 1 });
        return null;
      }
      current.count++;
      return current.count > limit ? Math.ceil((current.start + options.windowMs - now) / 1000) : null;
    },
  };
}
