import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Randomness as the domain sees it, injected beside the clock so a test can make ids and secrets
 * repeatable. Every implementation used outside tests must be cryptographically strong.
 */
export interface Random {
  /** A version 4 UUID. */
  uuid(): string;
  /** `length` random bytes. */
  bytes(length: number): Buffer;
}

export const systemRandom: Random = { uuid: () => randomUUID(), bytes: (length) => randomBytes(length) };
