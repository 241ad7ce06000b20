import { createBoundedCache } from '../bounded-cache.js';
import { verifyJwt, type JwtVerifierKey, type VerifiedJwt } from './jwt.js';

/**
 * Signature checks remembered per token, so a resource server introspecting the same token on every
 * call pays one ES256 verify, not one per call. Only tokens whose signature verified are kept (a flood of
 * forged or unknown tokens costs each its own check and stores nothing), at most `capacity` of them,
 * in the same segmented LRU as the client directory (`bounded-cache.ts`): tokens a resource server keeps
 * presenting stay, tokens seen once give way first. A hit holds only while the key that verified it is still the one this process
 * verifies with: a retired or revoked key (or a reload) makes every token it signed check again, and fail.
 * Expiry, revocation and the rest are the caller's to check on every use, as before.
 */
export interface VerifiedTokenCache {
  verify(token: string, lookup: (kid: string) => JwtVerifierKey | null): VerifiedJwt | null;
  /** How many tokens it holds now. */
  size(): number;
}

interface Entry {
  readonly key: JwtVerifierKey;
  readonly verified: VerifiedJwt;
}

export const VERIFIED_TOKEN_CAPACITY = 10_000;

export function createVerifiedTokenCache(capacity = VERIFIED_TOKEN_CAPACITY): VerifiedTokenCache {
  const entries = createBoundedCache<string, Entry>(capacity);
  return {
    verify(token, lookup) {
      const hit = entries.get(token);
      if (hit !== undefined) {
        if (lookup(hit.verified.kid) === hit.key) return hit.verified;
        entries.delete(token);
      }
      const verified = verifyJwt(token, lookup);
      if (verified === null) return null;
      const key = lookup(verified.kid);
      if (key === null) return null;
      entries.set(token, { key, verified });
      return verified;
    },
    size: () => entries.size,
  };
}
