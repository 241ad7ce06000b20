/**
 * `@latchkey/sdk`: the token client that gets and caches Latchkey access tokens, and the verifier that
 * checks them in a resource server, following Latchkey's revocation feed.
 *
 * @packageDocumentation
 */
export { createRevocationFeed, type RevocableClaims, type RevocationFeed, type RevocationFeedOptions } from './revocation-feed.js';
