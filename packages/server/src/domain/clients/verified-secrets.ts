import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Secrets a cached client has already presented and passed the HMAC check with, remembered as their
 * SHA-256 (one-way: a heap dump shows no usable secret; the secrets carry 256 random bits, so the digest
 * cannot be searched either). Comparing a digest costs a fraction of the HMAC under the server key, which
 * is the point: a hot client pays the HMAC once per secret, not on every request.
 *
 * Only successes are kept, at most one digest per secret id (one secret matches one hash). Nothing here
 * decides on its own: the caller still filters the secrets to the live ones first, so an expired secret
 * stops working at its expiry even if remembered, and falls back to the full check on any mismatch, so a
 * wrong secret costs the same HMACs as before.
 */
export interface VerifiedSecrets {
  /** The id of a live secret whose remembered digest equals `digest`, or null. Constant time per candidate. */
  match(liveSecrets: readonly { readonly id: string }[], digest: Buffer): string | null;
  remember(secretId: string, digest: Buffer): void;
}

/** What is remembered of a presented secret. */
export function secretDigest(presented: string): Buffer {
  return hash('sha256', presented, 'buffer');
}

export function createVerifiedSecrets(): VerifiedSecrets {
  return new RememberedDigests();
}

// A class rather than a closure, and the map made at the first success: a million cached clients that
// never presented a secret twice pay an object of one field each, not a closure and an empty Map.
class RememberedDigests implements VerifiedSecrets {
  #digests: Map<string, Buffer> | null = null;

  match(liveSecrets: readonly { readonly id: string }[], digest: Buffer): string | null {
    if (this.#digests === null) return null;
    let matched: string | null = null;
    for (const { id } of liveSecrets) {
      const known = this.#digests.get(id);
      if (known && timingSafeEqual(known, digest)) matched = id;
    }
    return matched;
  }

  remember(secretId: string, digest: Buffer): void {
    (this.#digests ??= new Map()).set(secretId, digest);
  }
}
