import type { RevealingGrantDeps } from './grants/revealing-client-credentials.js';
import type { TokenGrantDeps } from './grants/token-grants.js';
import type { IntrospectDeps } from './introspect-token.js';
import type { RevokeDeps } from './revoke-token.js';
import type { DescribeServerDeps } from './describe-authorization-server.js';

/**
 * What the OAuth endpoints and the token dialects need between them: the grants, introspection,
 * revocation and the metadata document, each of which takes only its own part.
 */
export type OAuthDeps = TokenGrantDeps & RevealingGrantDeps & IntrospectDeps & RevokeDeps & DescribeServerDeps;

/** The stores among them: the only part read from the database rather than from a cache or a setting. */
export type OAuthStores = OAuthDeps['storage'];
