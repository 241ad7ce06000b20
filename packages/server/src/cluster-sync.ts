import cluster, { type Worker } from 'node:cluster';

/**
 * Read-your-writes across the workers of one instance (LATCHKEY_WORKERS > 1). Each worker process holds its
 * own caches, and the next request after a change may land on any of them: the worker that made the change
 * asks the primary to have every sibling catch up with the change log, and answers its client only once
 * they have (or after a bound, when a sibling is stuck: the change log's poll still reaches it).
 */
const SYNC = 'latchkey:sync';
const SYNCED = 'latchkey:synced';

interface SyncMessage {
  readonly type: typeof SYNC | typeof SYNCED;
  readonly id: number;
}

function isSyncMessage(message: unknown): message is SyncMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return (type === SYNC || type === SYNCED) && typeof id === 'number';
}

interface Relay {
  readonly origin: Worker;
  readonly originId: number;
  readonly waiting: Set<number>;
  readonly timer: NodeJS.Timeout;
}

/** In the cluster primary: relays each worker's sync request to its siblings and answers it when all have caught up. */
export function relayWorkerSyncs(timeoutMs = 1_000): void {
  const relays = new Map<number, Relay>();
  let next = 0;

  const finish = (relayId: number): void => {
    const relay = relays.get(relayId);
    if (!relay) return;
    relays.delete(relayId);
    clearTimeout(relay.timer);
    if (relay.origin.isConnected()) relay.origin.send({ type: SYNCED, id: relay.originId } satisfies SyncMessage);
  };

  cluster.on('message', (worker, message) => {
    if (!isSyncMessage(message)) return;
    if (message.type === SYNCED) {
      const relay = relays.get(message.id);
      relay?.waiting.delete(worker.id);
      if (relay?.waiting.size === 0) finish(message.id);
      return;
    }
    const relayId = ++next;
    const siblings = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w !== worker && w.isConnected());
    const timer = setTimeout(() => finish(relayId), timeoutMs);
    timer.unref();
    relays.set(relayId, { origin: worker, originId: message.id, waiting: new Set(siblings.map((w) => w.id)), timer });
    for (const sibling of siblings) sibling.send({ type: SYNC, id: relayId } satisfies SyncMessage);
    if (siblings.length === 0) finish(relayId);
  });
  // A sibling that exits answers nothing: stop waiting for it.
  cluster.on('exit', (worker) => {
    for (const [relayId, relay] of relays) {
      relay.waiting.delete(worker.id);
      if (relay.waiting.size === 0) finish(relayId);
    }
  });
}

/**
 * In a worker: answers the primary's sync requests by catching up (`catchUp`), and returns the function
 * that asks the siblings to catch up with this worker's writes. Outside a cluster worker it is a no-op.
 */
export function joinWorkerSyncs(catchUp: () => Promise<void>, timeoutMs = 2_000): () => Promise<void> {
  if (!cluster.isWorker || typeof process.send !== 'function') return () => Promise.resolve();
  const send = process.send.bind(process);
  const pending = new Map<number, () => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isSyncMessage(message)) return;
    if (message.type === SYNCED) {
      pending.get(message.id)?.();
      return;
    }
    // A failed catch-up still answers: the sibling's poll of the change log retries on its own.
    void catchUp()
      .catch(() => undefined)
      .finally(() => send({ type: SYNCED, id: message.id } satisfies SyncMessage));
  });
  return () =>
    new Promise<void>((resolve) => {
      const id = ++next;
      const done = (): void => {
        clearTimeout(timer);
        pending.delete(id);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      pending.set(id, done);
      send({ type: SYNC, id } satisfies SyncMessage);
    });
}
