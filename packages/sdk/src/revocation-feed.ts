import type { RevocationFeed, RevocationFeedOptions } from './revocation-types.js';

export type { RevocationFeed, RevocationFeedOptions } from './revocation-types.js';

/**
 * PLACEHOLDER (the revocation feed is built on another branch, which replaces this file): follows
 * Latchkey's revocation feed.
 *
 * @example
 * ```ts
 * const feed = createRevocationFeed({ issuer, clientId, clientSecret });
 * await feed.ready();
 * ```
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  void options;
  throw new Error('createRevocationFeed: not built yet');
}
