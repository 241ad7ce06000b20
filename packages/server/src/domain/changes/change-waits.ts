/**
 * Lets a request wait for the change log to move: this process's change follower (runtime.ts) reports
 * each position it has applied, and a long-polling reader (the revocation feed) waits until the position
 * passes the one it has seen. No poll per waiter: one follower, any number of waiters.
 */
export interface ChangeWaits {
  /** The last change this process has applied. */
  readonly position: number;
  /**
   * Resolves once the position passes `after`, after `ms`, or when released, whichever comes first
   * (at once if one holds already). Never rejects.
   */
  wait(after: number, ms: number): Promise<void>;
  /** The follower applied changes up to `position`. */
  advance(position: number): void;
  /** The process is leaving: ends every wait now, and later ones at once (their readers go elsewhere). */
  release(): void;
  readonly released: boolean;
}

interface Waiter {
  readonly after: number;
  readonly done: () => void;
}

export function createChangeWaits(from: number): ChangeWaits {
  let position = from;
  let released = false;
  const waiters = new Set<Waiter>();
  return {
    get position() {
      return position;
    },
    get released() {
      return released;
    },
    wait(after, ms) {
      if (released || position > after || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter: Waiter = {
          after,
          done: () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(waiter.done, ms);
        waiters.add(waiter);
      });
    },
    advance(next) {
      if (next <= position) return;
      position = next;
      for (const waiter of [...waiters]) if (position > waiter.after) waiter.done();
    },
    release() {
      released = true;
      for (const waiter of [...waiters]) waiter.done();
    },
  };
}
