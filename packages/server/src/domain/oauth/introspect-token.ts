import type { Clock } from '../clock.js';
import type { KeyManager } from '../keys/key-manager.js';
import type { ClientDirectory } from '../clients/client-directory.js';
import type { Denylist } from '../tokens/denylist.js';
import { isSuperseded, type WatermarkCache } from '../tokens/watermark-cache.js';
import { FIRST_PARTY_CLIENT_IDS } from './issue-user-token.js';
import { currentUserTokenClaims, isUserTokenClaims } from './check-user-token.js';
import { checkPersonalToken, isPersonalTokenClaims, type PersonalTokenCheckDeps } from '../personal-tokens/check-personal-token.js';

export type Introspection = { readonly active: false } | ({ readonly active: true; readonly token_type: 'Bearer' } & Readonly<Record<string, unknown>>);

export interface IntrospectDeps extends PersonalTokenCheckDeps {
  readonly keys: KeyManager;
  readonly clock: Clock;
  readonly issuer: string;
  readonly denylist: Denylist;
  readonly directory: ClientDirectory;
  readonly watermarks: WatermarkCache;
}

const INACTIVE: Introspection = { active: false };

/** A token of ours, signature checked, issuer ours, not expired (exp/nbf in seconds). */
export function verifyAccessToken(deps: Pick<IntrospectDeps, 'keys' | 'clock' | 'issuer'>, token: string): Readonly<Record<string, unknown>> | null {
  const verified = deps.keys.verify(token);
  if (!verified) return null;
  const claims = verified.payload;
  const now = deps.clock.now() / 1000;
  if (claims.iss !== deps.issuer || typeof claims.exp !== 'number' || claims.exp <= now) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
  if (typeof claims.jti !== 'string') return null;
  return claims;
}

/**
 * RFC 7662: whether a token is active right now: our signature from a key still verifying, our issuer,
 * not expired, not revoked, not superseded by a newer token for its subject (watermark), the client it
 * was issued to (unless first-party) still exists and is enabled, and a user's token's user still exists,
 * enabled (reported with the roles they hold now). Everything else is just `{active: false}`, with no
 * reason given (§2.2).
 *
 * An application's token whose client is cached is answered synchronously, and, when it was seen before
 * (KeyManager's verified-token cache), with the same answer object as last time (so its JSON can be kept
 * too). Anything that must be read (a user, a personal token, an uncached client) gives a promise.
 */
export function introspectToken(deps: IntrospectDeps, token: string): Introspection | Promise<Introspection> {
  const claims = verifyAccessToken(deps, token);
  if (!claims || deps.denylist.has(claims.jti as string)) return INACTIVE;
  const superseded = isSuperseded(deps.watermarks, claims);
  if (superseded !== false) return superseded.then((yes) => (yes ? INACTIVE : unlessInactive(deps, claims)));
  return unlessInactive(deps, claims);
}

function unlessInactive(deps: IntrospectDeps, claims: Readonly<Record<string, unknown>>): Introspection | Promise<Introspection> {
  if (isPersonalTokenClaims(claims)) return checkPersonalToken(deps, claims, null).then((live) => (live ? active(claims) : INACTIVE));
  const client = clientActive(deps, claims);
  if (client instanceof Promise) return client.then((yes) => (yes ? subjectActive(deps, claims) : INACTIVE));
  return client ? subjectActive(deps, claims) : INACTIVE;
}

/** A user's token reports the user as they are now; an application's token its claims. */
function subjectActive(deps: IntrospectDeps, claims: Readonly<Record<string, unknown>>): Introspection | Promise<Introspection> {
  if (!isUserTokenClaims(claims)) return active(claims);
  return currentUserTokenClaims(deps, claims).then((current) => (current ? { active: true, token_type: 'Bearer', ...current } : INACTIVE));
}

// Keyed by the verified-token cache's claims object: one answer object per token while it is cached.
const answers = new WeakMap<Readonly<Record<string, unknown>>, Introspection>();

function active(claims: Readonly<Record<string, unknown>>): Introspection {
  let answer = answers.get(claims);
  if (answer === undefined) {
    answer = { active: true, token_type: 'Bearer', ...claims };
    answers.set(claims, answer);
  }
  return answer;
}

/** An application's token: the client it was issued to (unless first-party) still exists and is enabled. */
function clientActive(deps: IntrospectDeps, claims: Readonly<Record<string, unknown>>): boolean | Promise<boolean> {
  if (typeof claims.client_id !== 'string' || FIRST_PARTY_CLIENT_IDS.has(claims.client_id)) return true;
  const cached = deps.directory.cached(claims.client_id);
  if (cached !== undefined) return cached !== null && cached.client.enabled;
  return deps.directory.get(claims.client_id).then((resolved) => resolved !== null && resolved.client.enabled);
}
