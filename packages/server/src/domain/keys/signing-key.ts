export const SIGNING_ALGS = ['ES256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** A public JWK as published in JWKS (RFC 7517). */
export interface PublicJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly y?: string;
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly use: 'sig';
}

/**
 * A signing key as stored. Its state is derived from the times, so every process sharing the database
 * agrees on it without coordination:
 * - `next`: published in JWKS, not signing yet (`activatesAt` unset or in the future);
 * - `current`: the most recently activated key that is not revoked: it signs;
 * - `retiring`: superseded, still published until every token it can have signed has expired;
 * - `retired`: gone from JWKS (past retirement, or revoked in an emergency rotation).
 */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly publicJwk: PublicJwk;
  /** The private JWK, encrypted under the server key with the kid as associated data. */
  readonly encryptedPrivateKey: string;
  readonly createdAt: number;
  readonly activatesAt: number | null;
  readonly revokedAt: number | null;
}

export interface SigningKeyStore {
  /** Every key, in creation order. */
  list(): Promise<SigningKeyRecord[]>;
  insert(key: SigningKeyRecord): Promise<void>;
  setActivation(kid: string, activatesAt: number): Promise<void>;
  revoke(kid: string, at: number): Promise<void>;
}

export type KeyState = 'next' | 'current' | 'retiring' | 'retired';

export interface KeyPolicy {
  /** How long a new key is published before it may sign: at least the JWKS response's cache lifetime. */
  readonly publishLeadMs: number;
  /**
   * How long a superseded key stays published at least: the longest lifetime of the short-lived tokens it
   * can have signed (client, password and token-api tokens, which are not recorded one by one). Longer-lived
   * tokens that are recorded (personal access tokens) keep it published through `TokenGeneration`s.
   */
  readonly retainMs: number;
}

/** One long-lived token that can still be valid: signed at `generatedAt` by the key current then. */
export interface TokenGeneration {
  readonly generatedAt: number;
  readonly expiresAt: number;
}

// A process learns of a rotation through the change log, within a second or so; a token it signed with the
// old key just after the rotation still counts as that key's.
const SIGNING_WINDOW_MARGIN_MS = 60_000;

/** The latest expiry of the live tokens generated while a key signed (from `from` until `until`), or 0. */
function heldUntil(generations: readonly TokenGeneration[], from: number, until: number): number {
  let latest = 0;
  for (const g of generations) {
    if (g.generatedAt >= from && g.generatedAt < until + SIGNING_WINDOW_MARGIN_MS && g.expiresAt > latest) latest = g.expiresAt;
  }
  return latest;
}

export interface KeyStatus {
  readonly record: SigningKeyRecord;
  readonly state: KeyState;
  /** When the key stopped signing (a later key activated). */
  readonly supersededAt: number | null;
  /** When the key leaves JWKS. */
  readonly retiresAt: number | null;
}

/**
 * The state of every key at `now`, newest first. A superseded key retires once the short-lived tokens it
 * signed have expired (`policy.retainMs`) and so has every live long-lived token signed while it was
 * current (`generations`): JWKS holds no key that nothing valid depends on.
 */
export function keyStatuses(records: readonly SigningKeyRecord[], now: number, policy: KeyPolicy, generations: readonly TokenGeneration[] = []): KeyStatus[] {
  const activated = records
    .filter((k) => k.activatesAt !== null && k.activatesAt <= now)
    .sort((a, b) => (b.activatesAt ?? 0) - (a.activatesAt ?? 0) || b.createdAt - a.createdAt);
  const current = activated.find((k) => k.revokedAt === null);
  return [...records]
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((record): KeyStatus => {
      if (record.revokedAt !== null) return { record, state: 'retired', supersededAt: record.revokedAt, retiresAt: record.revokedAt };
      if (record.activatesAt === null || record.activatesAt > now) return { record, state: 'next', supersededAt: null, retiresAt: null };
      if (record === current) return { record, state: 'current', supersededAt: null, retiresAt: null };
      const activatesAt = record.activatesAt;
      const successors = activated.filter((k) => (k.activatesAt ?? 0) > activatesAt || (k.activatesAt === activatesAt && k.createdAt > record.createdAt));
      const supersededAt = Math.min(...successors.map((k) => k.activatesAt ?? now), now);
      const retiresAt = Math.max(supersededAt + policy.retainMs, heldUntil(generations, activatesAt, supersededAt));
      return { record, state: retiresAt > now ? 'retiring' : 'retired', supersededAt, retiresAt };
    });
}

/** The next moment at which some key changes state (activation or retirement), or null if none is due. */
export function nextKeyTransition(statuses: readonly KeyStatus[], now: number): number | null {
  const times = statuses.flatMap((s) => [s.record.activatesAt, s.state === 'retiring' ? s.retiresAt : null]);
  const future = times.filter((t): t is number => t !== null && t > now);
  return future.length > 0 ? Math.min(...future) : null;
}
