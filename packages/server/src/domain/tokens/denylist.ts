/** Revoked token ids (`jti`), each kept until the token would have expired anyway. */
export interface RevokedToken {
  readonly jti: string;
  readonly expiresAt: number;
}

export interface RevocationStore {
  /** Idempotent: revoking a revoked token again changes nothing. */
  add(token: RevokedToken): Promise<void>;
  /** Entries whose token has not expired at `now`. */
  listActive(now: number): Promise<RevokedToken[]>;
  get(jti: string): Promise<RevokedToken | null>;
  /** Removes entries whose token has expired; returns how many. */
  prune(now: number): Promise<number>;
}

/** The in-memory denylist every introspection consults; filled from the store, updated by the change feed. */
export interface Denylist {
  has(jti: string): boolean;
  add(token: RevokedToken): void;
  replace(tokens: readonly RevokedToken[]): void;
  prune(now: number): void;
}

export function createDenylist(): Denylist {
  const entries = new Map<string, number>();
  return {
    has: (jti) => entries.has(jti),
    add: (token) => void entries.set(token.jti, token.expiresAt),
    replace(tokens) {
      entries.clear();
      for (const t of tokens) entries.set(t.jti, t.expiresAt);
    },
    prune(now) {
      for (const [jti, expiresAt] of entries) if (expiresAt <= now) entries.delete(jti);
    },
  };
}
