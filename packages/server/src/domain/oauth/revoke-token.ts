import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { ResolvedClient } from '../clients/client-directory.js';
import type { Denylist } from '../tokens/denylist.js';
import type { KeyManager } from '../keys/key-manager.js';
import { verifyAccessToken } from './introspect-token.js';

export interface RevokeDeps {
  readonly keys: KeyManager;
  readonly clock: Clock;
  readonly issuer: string;
  readonly storage: Pick<Storage, 'revocations'>;
  readonly denylist: Denylist;
}

export interface RevokeTokenInput {
  /** The authenticated client asking: it may revoke only tokens issued to it. */
  readonly caller: ResolvedClient;
  readonly token: string;
}

/**
 * RFC 7009: a client revokes a token issued to it. Anything else (expired, foreign, unknown, another
 * client's) is ignored without error (§2.2), so the answer never tells whether a token exists.
 * Returns whether a token was revoked, for the log.
 */
export async function revokeToken(deps: RevokeDeps, input: RevokeTokenInput): Promise<boolean> {
  const claims = verifyAccessToken(deps, input.token);
  if (!claims || claims.client_id !== input.caller.client.clientId) return false;
  const revoked = { jti: claims.jti as string, expiresAt: (claims.exp as number) * 1000 };
  await deps.storage.revocations.add(revoked);
  deps.denylist.add(revoked);
  return true;
}
