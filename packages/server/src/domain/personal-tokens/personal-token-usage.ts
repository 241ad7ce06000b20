import type { PersonalTokenUse } from './personal-token.js';

/**
 * Last use of personal tokens, gathered in memory and written in batches by a timer (and on shutdown),
 * as client usage is: authenticating a request never waits for a database write.
 */
export interface PersonalTokenUsage {
  record(use: PersonalTokenUse): void;
  /** Takes everything recorded since the last drain (the latest use per record). */
  drain(): PersonalTokenUse[];
}

export function createPersonalTokenUsage(): PersonalTokenUsage {
  let pending = new Map<string, PersonalTokenUse>();
  return {
    record(use) {
      const known = pending.get(use.id);
      // An address-less use (introspection) does not hide the address of a portal use in the same batch.
      pending.set(use.id, use.from === null && known?.from ? { ...use, from: known.from } : use);
    },
    drain() {
      const uses = [...pending.values()];
      pending = new Map();
      return uses;
    },
  };
}
