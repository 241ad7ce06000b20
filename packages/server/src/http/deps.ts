import type { Clock } from '../domain/clock.js';
import type { ReadinessReport } from '../readiness.js';
import type { ServerKeyring } from '../domain/secrets/server-key.js';
import type { ClientDirectory } from '../domain/clients/client-directory.js';
import type { ClientUsage } from '../domain/clients/client-usage.js';
import type { KeyManager } from '../domain/keys/key-manager.js';
import type { Denylist } from '../domain/tokens/denylist.js';
import type { WatermarkCache } from '../domain/tokens/watermark-cache.js';
import type { AuthenticateUserDeps } from '../domain/users/authenticate-user.js';
import type { LoginThrottle } from '../domain/users/login-throttle.js';
import type { Principal } from '../domain/users/principal.js';
import type { PersonalTokenUsage } from '../domain/personal-tokens/personal-token-usage.js';
import type { AttemptWindow } from '../domain/users/attempt-window.js';
import type { TeamDeps } from '../domain/applications/request-application.js';
import type { GetApplicationDeps } from '../domain/applications/get-application.js';
import type { CreateServiceDeps } from '../domain/catalog/create-service.js';
import type { CatalogDeps } from '../domain/catalog/list-services.js';
import type { RotateClientSecretDeps } from '../domain/clients/rotate-client-secret.js';
import type { EnvironmentDeps } from '../domain/environments/register-environment.js';
import type { InviteDeps } from '../domain/invitations/invite-member.js';
import type { CreatePersonalTokenDeps } from '../domain/personal-tokens/create-personal-token.js';
import type { GeneratePersonalTokenDeps } from '../domain/personal-tokens/generate-personal-token.js';
import type { SessionDeps } from '../domain/sessions/start-session.js';
import type { SignUpDeps } from '../domain/users/sign-up.js';

/**
 * What the routes' use cases need, as each use case states it (the routes pass `deps` through, never
 * reading storage themselves). The narrower use cases' deps are parts of these.
 */
export type UseCaseDeps = TeamDeps &
  GetApplicationDeps &
  CreateServiceDeps &
  CatalogDeps &
  RotateClientSecretDeps &
  EnvironmentDeps &
  InviteDeps &
  CreatePersonalTokenDeps &
  GeneratePersonalTokenDeps &
  SessionDeps &
  SignUpDeps;
import type { Random } from '../domain/random.js';
import type { OAuthStores } from '../domain/oauth/oauth-deps.js';

/** What the HTTP layer needs from the composition root (which builds it from the runtime). */
export interface HttpDeps extends UseCaseDeps {
  /**
   * Resolves once this process's caches (and, in a cluster, every worker's) reflect every change committed
   * so far. A request that changed state awaits it before it is answered, so the change holds on the very
   * next request, wherever on this instance it lands (read your own writes).
   */
  readonly settleWrites: () => Promise<void>;
  /** What GET /readyz reports: the dependencies' states, and `draining` once the process is leaving. */
  readonly readiness: () => Promise<ReadinessReport>;
  readonly clock: Clock;
  readonly issuer: string;
  readonly serverKeys: ServerKeyring;
  readonly directory: ClientDirectory;
  readonly usage: ClientUsage;
  readonly keys: KeyManager;
  readonly denylist: Denylist;
  readonly watermarks: WatermarkCache;
  readonly jwksMaxAgeSeconds: number;
  /** Lifetime of token-api dialect tokens (LATCHKEY_TOKEN_API_TTL), seconds. */
  readonly tokenApiTtlSeconds: number;
  /** For `authenticateUser` (email + password + address): the login throttle and its bookkeeping. */
  readonly login: AuthenticateUserDeps;
  /** Failed client authentications per client id and address (the access-token dialect reveals unknown ids). */
  readonly clientThrottle: LoginThrottle;
  /** Environments whose registration waits for an administrator (LATCHKEY_APPROVAL_ENVIRONMENTS). */
  readonly approvalEnvironments: readonly string[];
  /** Longest overlap a regenerated client secret may give the old one (LATCHKEY_MAX_SECRET_GRACE). */
  readonly maxSecretGraceSeconds: number;
  /** How long an invitation link works (LATCHKEY_INVITATION_TTL). */
  readonly invitationTtlSeconds: number;
  /** Ordered environments (LATCHKEY_ENVIRONMENTS), first to last. */
  readonly environments: readonly string[];
  /** Sign-ups per address (and notices to existing owners) per window, shared by every process. */
  readonly signUps: AttemptWindow;
  /**
   * `Authorization: Bearer <token>` on the portal API (personal access tokens): the
   * principal with its user as stored now (roles, not disabled), or null when the token is unknown, expired
   * or revoked, or its user is gone or disabled. The portal trusts it and does not read the user again.
   */
  readonly authenticateBearer?: (token: string, address: string) => Promise<Principal | null>;
  /** LATCHKEY_PAT_MAX_DAYS: the longest lifetime of a personal access token. */
  readonly patMaxDays: number;
  readonly personalTokenUsage: PersonalTokenUsage;
  /** Randomness for what the server generates (token ids); systemRandom outside tests. */
  readonly random: Random;
  /** What the OAuth endpoints and token dialects read and write through their use cases (revocations, watermarks, introspection's reads, the metadata's scopes). */
  readonly oauthStores: OAuthStores;
}
