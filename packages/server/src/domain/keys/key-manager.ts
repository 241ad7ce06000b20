import type { Clock } from '../clock.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { importSigner, importVerifierKey, type JwtSigner, type JwtVerifierKey, type VerifiedJwt } from '../tokens/jwt.js';
import { createVerifiedTokenCache } from '../tokens/verified-token-cache.js';
import { keyStatuses, nextKeyTransition, type KeyPolicy, type KeyStatus, type PublicJwk, type SigningKeyRecord, type TokenGeneration } from './signing-key.js';

/**
 * The signing keys as this process sees them: the current signer, the keys that verify, the JWKS.
 * States follow the clock (a scheduled key starts signing on time without any event); `load` replaces the
 * records after the change feed reports a rotation.
 */
export interface KeyManager {
  /** Replaces the keys, and the live long-lived tokens that keep superseded keys published. */
  load(records: readonly SigningKeyRecord[], generations?: readonly TokenGeneration[]): void;
  /** The current signer; throws if there is none (the server always ensures one on start). */
  signer(): JwtSigner;
  /** Keys that may have signed a token still valid: next, current and retiring. */
  verifierKey(kid: string): JwtVerifierKey | null;
  /**
   * An access token's header and claims when a key that verifies now signed it (typ `at+jwt`); null
   * otherwise. Remembers signatures it checked (`verified-token-cache.ts`): claims are not checked here.
   */
  verify(token: string): VerifiedJwt | null;
  /** The JWKS document: next, current and retiring public keys. */
  jwks(): { keys: PublicJwk[] };
  statuses(): KeyStatus[];
}

export function createKeyManager(deps: { serverKeys: ServerKeyring; clock: Clock; policy: KeyPolicy }): KeyManager {
  let records: readonly SigningKeyRecord[] = [];
  let generations: readonly TokenGeneration[] = [];
  let statuses: KeyStatus[] = [];
  let validUntil = -Infinity;
  let signer: JwtSigner | null = null;
  let published: { keys: PublicJwk[] } = { keys: [] };
  const signers = new Map<string, JwtSigner>();
  const verifiers = new Map<string, JwtVerifierKey>();
  const verified = createVerifiedTokenCache();
  const lookup = (kid: string): JwtVerifierKey | null => verifiers.get(kid) ?? null;

  function refresh(): void {
    const now = deps.clock.now();
    if (now < validUntil) return;
    statuses = keyStatuses(records, now, deps.policy, generations);
    validUntil = nextKeyTransition(statuses, now) ?? Infinity;
    const live = statuses.filter((s) => s.state !== 'retired');
    published = { keys: live.map((s) => s.record.publicJwk) };
    for (const kid of verifiers.keys()) if (!live.some((s) => s.record.kid === kid)) verifiers.delete(kid);
    for (const s of live) if (!verifiers.has(s.record.kid)) verifiers.set(s.record.kid, importVerifierKey(s.record.publicJwk));
    const current = statuses.find((s) => s.state === 'current')?.record;
    if (!current) {
      signer = null;
      return;
    }
    signer = signers.get(current.kid) ?? importSigner(current.kid, current.alg, deps.serverKeys.decrypt(current.encryptedPrivateKey, current.kid));
    signers.clear();
    signers.set(current.kid, signer);
  }

  return {
    load(next, live = []) {
      records = [...next];
      generations = [...live];
      validUntil = -Infinity;
      refresh();
    },
    signer() {
      refresh();
      if (!signer) throw new Error('no current signing key: run `latchkey keys rotate` or restart the server');
      return signer;
    },
    verifierKey(kid) {
      refresh();
      return lookup(kid);
    },
    verify(token) {
      refresh();
      return verified.verify(token, lookup);
    },
    jwks() {
      refresh();
      return published;
    },
    statuses() {
      refresh();
      return statuses;
    },
  };
}
