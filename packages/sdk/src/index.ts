/**
 * `@latchkey/sdk`: the token client that gets and caches Latchkey access tokens, and the verifier that
 * checks them in a resource server, following Latchkey's revocation feed.
 *
 * @packageDocumentation
 */
export { createTokenClient, type TokenClient, type TokenClientOptions } from './token-client.js';
export { TokenRequestError } from './token-request.js';
export { createDiscovery, discover, DiscoveryError, type AuthorizationServerMetadata, type Discovery, type DiscoveryOptions } from './discovery.js';
export type { RetryOptions } from './retry.js';
export { createVerifier, type Principal, type Verifier, type VerifierOptions } from './verifier.js';
export { VerifyError, type VerifyErrorCode } from './verify-error.js';
export { createRevocationFeed, type RevocableClaims, type RevocationFeed, type RevocationFeedOptions } from './revocation-feed.js';
export { bearerToken, createPrincipalResolver, principalOf, type AdapterOptions, type HeaderSource, type MarkedRequest, type PrincipalResolverOptions } from './adapters/principal.js';
export { latchkeyExpress, requireScopes as requireScopesExpress, type ExpressLikeRequest, type ExpressLikeResponse, type ExpressMiddleware } from './adapters/express.js';
export { latchkeyFastify, requireScopes as requireScopesFastify, type FastifyLikeReply, type FastifyLikeRequest, type FastifyPreHandler } from './adapters/fastify.js';
