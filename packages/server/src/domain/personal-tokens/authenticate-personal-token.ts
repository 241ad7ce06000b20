import type { IntrospectDeps } from '../oauth/introspect-token.js';
import { verifyAccessToken } from '../oauth/introspect-token.js';
import type { Principal } from '../users/principal.js';
import { checkPersonalToken, isPersonalTokenClaims } from './check-personal-token.js';

/**
 * `Authorization: Bearer <personal access token>` on the portal API: the same checks as introspection
 * (signature, issuer, expiry, the record's current JWT, the owner enabled and holding `pat`, and still
 * entitled to every scope and audience of the token), read through on every request. The principal carries the record's scopes (without `portal:write` it only reads) and
 * the record's id as its credential. Anything else (another kind of token, garbage) is null, never an error.
 */
export async function authenticatePersonalToken(
  deps: Pick<IntrospectDeps, 'keys' | 'clock' | 'issuer' | 'environments' | 'storage' | 'personalTokenUsage'>,
  input: { readonly token: string; readonly address: string | null },
): Promise<Principal | null> {
  const claims = verifyAccessToken(deps, input.token);
  if (!claims || !isPersonalTokenClaims(claims)) return null;
  const live = await checkPersonalToken(deps, claims, input.address);
  if (!live) return null;
  return { user: live.user, via: 'token', credentialId: live.record.id, scopes: live.record.scopes };
}
