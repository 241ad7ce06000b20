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
 * enabled (reported with the roles they hold now). Everything else
 * is just `{active: false}`, with no reason given (§2.2).
 */
export async function introspectToken(deps: IntrospectDeps, token: string): Promise<Introspection> {
  const claims = verifyAccessToken(deps, token);
  if (!claims || deps.denylist.has(claims.jti as string)) return INACTIVE;
  const superseded = isSuperseded(deps.watermarks, claims);
  if (superseded !== false && (await superseded)) return INACTIVE;
  if (isPersonalTokenClaims(claims)) return (await personalTokenActive(deps, claims)) ? active(claims) : INACTIVE;
  if (!(await clientActive(deps, claims))) return INACTIVE;
  if (isUserTokenClaims(claims)) {
    const current = await currentUserTokenClaims(deps, claims);
    return current ? active(current) : INACTIVE;
  }
  return active(claims);
}

function active(claims: Readonly<Record<string, unknown>>): Introspection {
  return { active: true, token_type: 'Bearer', ...claims };
}

/** A personal access token: its record is live (not replaced, deleted, revoked) and its owner holds `pat`, enabled. */
async function personalTokenActive(deps: IntrospectDeps, claims: Readonly<Record<string, unknown>>): Promise<boolean> {
  return (await checkPersonalToken(deps, claims, null)) !== null;
}

/** An application's token: the client it was issued to (unless first-party) still exists and is enabled. */
async function clientActive(deps: IntrospectDeps, claims: Readonly<Record<string, unknown>>): Promise<boolean> {
  if (typeof claims.client_id !== 'string' || FIRST_PARTY_CLIENT_IDS.has(claims.client_id)) return true;
  const resolved = await deps.directory.get(claims.client_id);
  return resolved !== null && resolved.client.enabled;
}
