/** `team`: an application's members, invitations or environment registrations (no cache holds them). */
export type ChangeEntity =
  | 'client'
  | 'service'
  | 'application'
  | 'key'
  | 'revocation'
  | 'user'
  | 'watermark'
  | 'team'
  | 'personal_token';

/** One committed change, numbered without gaps in commit order. */
export interface Change {
  readonly seq: number;
  readonly entity: ChangeEntity;
  readonly id: string;
  /** When the change was recorded, in its transaction (epoch ms of the writer's clock): for the feed's lag. */
  readonly at: number;
}

/**
 * The change log that keeps every process's caches honest. Every mutating store method records its change
 * in the same transaction, and sequence numbers are handed out under the store's write lock, so a reader
 * that has seen `seq` has seen every change before it.
 */
export interface ChangeStore {
  latest(): Promise<number>;
  since(seq: number, limit: number): Promise<Change[]>;
  /** Drops entries older than `before` (ms). */
  prune(before: number): Promise<number>;
}

export interface ChangeFollower {
  /** Reads new changes and hands each to the listener; concurrent calls share one read. */
  poll(): Promise<void>;
  readonly position: number;
}

/**
 * Follows the change log from `from`. When entries were pruned before this follower read them (a process
 * that was paused or cut off for long), it reports a `reset`: drop every cache.
 */
export function createChangeFollower(
  changes: Pick<ChangeStore, 'since'>,
  from: number,
  listener: (change: Change | 'reset') => void,
): ChangeFollower {
  let position = from;
  let running: Promise<void> | null = null;
  let again = false;

  async function drain(): Promise<void> {
    for (;;) {
      const batch = await changes.since(position, 500);
      if (batch.length === 0) return;
      if (batch[0] && batch[0].seq !== position + 1) listener('reset');
      for (const change of batch) {
        position = change.seq;
        listener(change);
      }
      if (batch.length < 500) return;
    }
  }

  return {
    get position() {
      return position;
    },
    poll() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await drain();
          } while (again);
        } finally {
          running = null;
        }
      })();
      return running;
    },
  };
}
