/**
 * Options of `createRevocationFeed`: where to follow Latchkey's revocation feed (`GET /oauth/revocations`,
 * announced as `revocation_feed_endpoint` in the metadata) and with which client's credentials.
 *
 * @example
 * ```ts
 * const revocations: RevocationFeedOptions = { issuer, clientId, clientSecret, staleAfter: 30_000 };
 * const verifier = createVerifier({ issuer, audience, revocations });
 * ```
 */
export interface RevocationFeedOptions {
  /** Latchkey's issuer URL; endpoint = metadata `revocation_feed_endpoint`. */
  issuer: string;
  /** Any enabled client's credentials. */
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Long-poll seconds, default 20. */
  wait?: number;
  /** Milliseconds without a completed answer before state is stale, default 30_000. */
  staleAfter?: number;
  onError?: (error: Error) => void;
}

/**
 * A follower of Latchkey's revocation feed, which the verifier asks about every token.
 *
 * @example
 * ```ts
 * const feed = createRevocationFeed({ issuer, clientId, clientSecret });
 * await feed.ready();
 * if (feed.check(claims) === 'token_revoked') refuse();
 * ```
 */
export interface RevocationFeed {
  /** Resolves after the first snapshot is applied (rejects if it cannot be had within `staleAfter`). */
  ready(): Promise<void>;
  /** Why the token must be refused, or null. `'stale'` when the feed has not answered for staleAfter ms. */
  check(claims: { jti?: unknown; client_id?: unknown; sub?: unknown; gen?: unknown; exp?: unknown }): 'token_revoked' | 'stale' | null;
  readonly cursor: string | null;
  close(): void;
}
