/** `pair`: one account from one address; `address`: every account from one address. */
export type LockoutScope = 'pair' | 'address';

/** A login lock-out: attempts under this scope are refused until `lockedUntil` (ms). */
export interface Lockout {
  readonly scope: LockoutScope;
  /** The normalised email tried (known or not); null for an `address` lock-out. */
  readonly account: string | null;
  readonly address: string;
  readonly failures: number;
  readonly lockedAt: number;
  readonly lockedUntil: number;
}

/**
 * Lock-outs as administrators see them, kept in the database so every instance and the CLI can list them
 * whichever process (or Redis) counted the failures. Written only when a lock-out starts: rare, and off the
 * path of a successful login.
 */
export interface LockoutStore {
  /** Records a lock-out; one for the same scope, account and address replaces the earlier one. */
  record(lockout: Lockout): Promise<void>;
  /** Lock-outs still in force at `now`, the latest to end first. */
  listActive(now: number): Promise<Lockout[]>;
  /** Removes lock-outs that ended before `now`; returns how many. */
  prune(now: number): Promise<number>;
}
