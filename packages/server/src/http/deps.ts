import type { Clock } from '../domain/clock.js';
import type { KeyManager } from '../domain/keys/key-manager.js';
import type { Principal } from '../domain/users/principal.js';
import type { ReadinessReport } from '../readiness.js';
import type { UseCases } from '../use-cases.js';

/**
 * What the HTTP layer needs from the composition root (main.ts): the use cases, bound to their deps
 * there, and the few settings and caches the routes read themselves. Nothing here hands out storage.
 */
export interface HttpDeps {
  /** Every use case a route calls, as `useCases.x(input)`. */
  readonly useCases: UseCases;
  /**
   * Resolves once this process's caches (and, in a cluster, every worker's) reflect every change committed
   * so far. A request that changed state awaits it before it is answered, so the change holds on the very
   * next request, wherever on this instance it lands (read your own writes).
   */
  readonly settleWrites: () => Promise<void>;
  /** What GET /readyz reports: the dependencies' states, and `draining` once the process is leaving. */
  readonly readiness: () => Promise<ReadinessReport>;
  /**
   * Whether the process is leaving (draining or closing). A long-poll answered early because of it closes
   * its connection, so the client reconnects elsewhere and the server is not kept waiting for it.
   */
  readonly leaving?: () => boolean;
  readonly clock: Clock;
  readonly issuer: string;
  /** The published signing keys (GET /oauth/jwks). */
  readonly keys: Pick<KeyManager, 'jwks'>;
  readonly jwksMaxAgeSeconds: number;
  /** Lifetime of token-api dialect tokens (LATCHKEY_TOKEN_API_TTL), seconds. */
  readonly tokenApiTtlSeconds: number;
  /** Environments whose registration waits for an administrator (LATCHKEY_APPROVAL_ENVIRONMENTS). */
  readonly approvalEnvironments: readonly string[];
  /**
   * `Authorization: Bearer <token>` on the portal API (personal access tokens): the
   * principal with its user as stored now (roles, not disabled), or null when the token is unknown, expired
   * or revoked, or its user is gone or disabled. The portal trusts it and does not read the user again.
   */
  readonly authenticateBearer?: (token: string, address: string) => Promise<Principal | null>;
}
