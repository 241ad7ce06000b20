import type { ClientUse } from './client.js';

/**
 * Last-used times, gathered in memory on the hot path and written in batches by a timer (and on shutdown),
 * so issuing a token never waits for a database write.
 */
export interface ClientUsage {
  record(use: ClientUse): void;
  /** Takes everything recorded since the last drain (the latest use per secret). */
  drain(): ClientUse[];
}

export function createClientUsage(): ClientUsage {
  let pending = new Map<string, ClientUse>();
  return {
    record(use) {
      pending.set(use.secretId, use);
    },
    drain() {
      const uses = [...pending.values()];
      pending = new Map();
      return uses;
    },
  };
}
