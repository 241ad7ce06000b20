import type { Clock } from '../clock.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { DomainError } from '../errors.js';
import { isWellFormedSecret } from '../secrets/generated-secret.js';
import type { ClientDirectory, ResolvedClient } from './client-directory.js';
import type { ClientUsage } from './client-usage.js';
import { secretDigest } from './verified-secrets.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AuthenticateClientDeps {
  readonly directory: ClientDirectory;
  readonly serverKeys: ServerKeyring;
  readonly usage: ClientUsage;
  readonly clock: Clock;
}

// A hash no secret matches, verified against when there is nothing real to compare, to keep timing flat.
let decoy: string | null = null;

/**
 * Checks a client's credentials. Unknown client, disabled client, malformed secret and wrong secret all
 * fail the same way, after the same work: one HMAC per candidate hash (at least one). A secret that already
 * passed against a cached client is recognised by its digest instead (`verified-secrets.ts`).
 *
 * Answers synchronously when the client directory has the client cached (the hot path: no promise, no
 * microtask), and with a promise when it must be read first. Callers `await` either.
 */
export function authenticateClient(
  deps: AuthenticateClientDeps,
  credentials: ClientCredentials,
): ResolvedClient | Promise<ResolvedClient> {
  const cached = deps.directory.cached(credentials.clientId);
  if (cached !== undefined) return checkSecret(deps, cached, credentials);
  return deps.directory.get(credentials.clientId).then((resolved) => checkSecret(deps, resolved, credentials));
}

function checkSecret(deps: AuthenticateClientDeps, resolved: ResolvedClient | null, credentials: ClientCredentials): ResolvedClient {
  const now = deps.clock.now();
  const candidates = resolved?.client.enabled
    ? resolved.client.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now)
    : [];
  const digest = secretDigest(credentials.clientSecret);
  // A live secret this entry has verified before: the digest comparison stands in for the HMAC. Anything
  // else (first sight, a wrong secret, an unknown client) takes the full check below, so failures cost the
  // same work whether or not something was remembered.
  let matched = resolved && candidates.length > 0 ? resolved.verified.match(candidates, digest) : null;
  if (matched === null) {
    const wellFormed = isWellFormedSecret('clientSecret', credentials.clientSecret);
    for (const secret of candidates) {
      if (deps.serverKeys.verify(credentials.clientSecret, secret.hash) && wellFormed) matched = secret.id;
    }
    if (candidates.length === 0) {
      decoy ??= deps.serverKeys.hash('decoy');
      deps.serverKeys.verify(credentials.clientSecret, decoy);
    }
    if (resolved && matched !== null) resolved.verified.remember(matched, digest);
  }
  if (!resolved || matched === null) throw new DomainError('bad_credentials', 'client authentication failed');
  deps.usage.record({ clientId: resolved.client.clientId, secretId: matched, at: now });
  return resolved;
}
