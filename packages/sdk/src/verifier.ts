import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { fastVerify, usableKeys, type FastCheck } from './fast-verify.js';
import { checkIssuer, createDiscovery, type AuthorizationServerMetadata } from './discovery.js';
import { BoundedCache } from './lru.js';
import { createRevocationFeed } from './revocation-feed.js';
import type { RevocationFeed, RevocationFeedOptions } from './revocation-feed.js';
import { VerifyError } from './verify-error.js';

/**
 * Who a verified token is about: its `sub`, `client_id`, the scopes of its `scope` claim and every claim.
 *
 * @example
 * ```ts
 * const principal: Principal = await verifier.verify(token);
 * if (principal.scopes.has('email:send')) send();
 * ```
 */
export interface Principal {
  readonly subject: string;
  readonly clientId: string | undefined;
  readonly scopes: ReadonlySet<string>;
  readonly claims: Readonly<JWTPayload> & Readonly<Record<string, unknown>>;
}

/**
 * Options of {@link createVerifier}.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = { issuer: 'https://auth.example.org', audience: 'urn:latchkey:service:email:prod' };
 * ```
 */
export interface VerifierOptions {
  /** Latchkey's issuer URL: the `iss` every token must carry; the JWKS is discovered from its metadata. */
  readonly issuer: string;
  /** The `aud` (one of) a token must name: your service, e.g. `urn:latchkey:service:email:prod`. */
  readonly audience: string | readonly string[];
  /** Scopes every token must hold (per-route guards add more). */
  readonly requiredScopes?: readonly string[];
  /** Accepted `alg`s; default: the metadata's announced access-token algorithms, else ES256 and EdDSA. */
  readonly algorithms?: readonly string[];
  /** Seconds of clock skew allowed on `exp` and `nbf` (default 5). */
  readonly clockTolerance?: number;
  /** Follow Latchkey's revocation feed: a feed, or the options to create one (closed with the verifier). */
  readonly revocations?: RevocationFeed | RevocationFeedOptions;
  /** When the feed is stale: `'reject'` (default, fail closed: `revocation_state_stale`) or `'accept'`. */
  readonly onStale?: 'reject' | 'accept';
  /** Verified tokens kept so a repeated token costs a lookup, not a signature check (default 10,000). */
  readonly cacheSize?: number;
  /** Least time between two JWKS fetches caused by an unknown `kid` (default 30,000 ms). */
  readonly jwksCooldown?: number;
  /** How long a fetched JWKS is used before it is fetched again, so a withdrawn key stops verifying (default 60,000 ms). */
  readonly jwksMaxAge?: number;
  /** RFC 6750 `realm` of the `WWW-Authenticate` header (default: the first audience). */
  readonly realm?: string;
  readonly fetch?: typeof fetch;
}

/**
 * Verifies Latchkey access tokens locally.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ issuer, audience: 'urn:latchkey:service:email:prod' });
 * const { subject, scopes } = await verifier.verify(token);
 * verifier.close();
 * ```
 */
export interface Verifier {
  /** The token's principal, or a {@link VerifyError} saying why it is refused. */
  verify(token: string, options?: { readonly requiredScopes?: readonly string[] }): Promise<Principal>;
  /** The realm this verifier names in `WWW-Authenticate`. */
  readonly realm: string;
  close(): void;
}

/** The options `verify` takes. */
type VerifyOptions = Parameters<Verifier['verify']>[1];

/**
 * The verifier's synchronous-when-it-can entry, for the adapters (not part of the public API): the
 * principal, or a promise of it when the signature or the feed must be waited for; throws what it refuses.
 */
export const VERIFY_NOW: unique symbol = Symbol('latchkey.verifyNow');

/**
 * A verifier made by {@link createVerifier}, with its synchronous entry (use `verify`).
 *
 * @example
 * ```ts
 * const verifier: Verifier = createVerifier({ issuer, audience });
 * ```
 */
export interface VerifierWithNow extends Verifier {
  readonly [VERIFY_NOW]: (token: string, options?: VerifyOptions) => Principal | Promise<Principal>;
}

/** Algorithms tried when neither the options nor the metadata name any: what Latchkey signs with. */
const DEFAULT_ALGORITHMS = ['ES256', 'EdDSA'] as const;
const ALG_MEMBERS = ['access_token_signing_alg_values_supported', 'token_signing_alg_values_supported'] as const;
const MAX_TOKEN_LENGTH = 16_384;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface Keys {
  readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly algorithms: string[];
}

interface Entry {
  readonly principal: Principal;
  /** `exp` in seconds. */
  readonly exp: number;
  /** The signing key: an entry is only good while the key is still published. */
  readonly kid: string | undefined;
}

function algorithmsOf(metadata: AuthorizationServerMetadata): string[] | null {
  for (const member of ALG_MEMBERS) {
    const value = metadata[member];
    if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string') && value.length) return value.filter((v) => v !== 'none' && !v.startsWith('HS'));
  }
  return null;
}

function isRevocationFeed(value: RevocationFeed | RevocationFeedOptions): value is RevocationFeed {
  return typeof (value as Partial<RevocationFeed>).check === 'function';
}

function principalOf(claims: JWTPayload): Principal {
  const scope = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  return {
    subject: claims.sub ?? '',
    clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined,
    scopes: new Set(scope),
    claims: Object.freeze(claims),
  };
}

/**
 * Creates a {@link Verifier}: remote JWKS (with a cooldown on unknown `kid`s), `iss`, `aud`, `exp`/`nbf`
 * with tolerance, `typ: at+jwt`, pinned algorithms, required scopes, a verified-token cache and, with
 * `revocations`, Latchkey's revocation feed checked on every call.
 *
 * @example
 * ```ts
 * import { createVerifier, VerifyError } from '@latchkey/sdk';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example.org',
 *   audience: 'urn:latchkey:service:email:prod',
 *   requiredScopes: ['email:send'],
 *   revocations: { issuer: 'https://auth.example.org', clientId, clientSecret },
 * });
 * const principal = await verifier.verify(token); // throws VerifyError
 * ```
 */
export function createVerifier(options: VerifierOptions): VerifierWithNow {
  const issuer = checkIssuer(options.issuer, 'createVerifier');
  const audience = typeof options.audience === 'string' ? [options.audience] : Array.isArray(options.audience) ? [...options.audience] : [];
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError("createVerifier: audience must name your service, such as 'urn:latchkey:service:email:prod' (a string or a list of them)");
  }
  if (options.clockTolerance !== undefined && !(options.clockTolerance >= 0 && options.clockTolerance <= 300)) {
    throw new TypeError('createVerifier: clockTolerance is in seconds, from 0 to 300');
  }
  const realm = options.realm ?? audience[0] ?? issuer;
  const fetcher = options.fetch ?? globalThis.fetch;
  const tolerance = options.clockTolerance ?? 5;
  const cooldown = options.jwksCooldown ?? 30_000;
  const onStale = options.onStale ?? 'reject';
  const cache = new BoundedCache<string, Entry>(options.cacheSize ?? 10_000);
  const discovery = createDiscovery(issuer, { fetch: fetcher });
  const ownsFeed = options.revocations !== undefined && !isRevocationFeed(options.revocations);
  const feed = options.revocations === undefined ? null : isRevocationFeed(options.revocations) ? options.revocations : createRevocationFeed({ fetch: fetcher, ...options.revocations });
  let feedReady: boolean | Promise<boolean> = feed === null;
  let keys: Promise<Keys> | null = null;
  let loaded: Keys | null = null;
  let lastUnknownKidReload = -Infinity;
  // The kids of the key set last seen, and its keys imported for the synchronous path: recomputed when
  // jose holds another set (jose hands out a copy, so the set is compared by its kids and coordinates).
  let knownKids = new Set<string | undefined>();
  let knownFingerprint = '';
  let fastKeys: ReturnType<typeof usableKeys> = new Map();
  let fastCheck: FastCheck | null = null;
  const noteKeySet = (jwks: Keys['jwks']): void => {
    const set = jwks.jwks();
    const fingerprint = JSON.stringify(set?.keys.map((key) => [key.kid, key.x, key.y, key.n, key.alg]) ?? null);
    if (fingerprint === knownFingerprint) return;
    knownFingerprint = fingerprint;
    knownKids = new Set(set?.keys.map((key) => key.kid));
    fastKeys = usableKeys(set);
  };

  const fail = (code: ConstructorParameters<typeof VerifyError>[0], message: string, extra: { scope?: readonly string[]; cause?: unknown } = {}): never => {
    throw new VerifyError(code, message, { realm, ...extra });
  };

  const loadKeys = (): Promise<Keys> => {
    keys ??= discovery
      .metadata()
      .then((metadata) => {
        if (!metadata.jwks_uri) throw new Error(`the metadata of ${issuer} has no jwks_uri`);
        const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: cooldown, cacheMaxAge: options.jwksMaxAge ?? 60_000, [customFetch]: fetcher });
        loaded = { jwks, algorithms: [...(options.algorithms ?? algorithmsOf(metadata) ?? DEFAULT_ALGORITHMS)] };
        fastCheck = { issuer, audience, algorithms: loaded.algorithms, tolerance, realm };
        return loaded;
      })
      .catch((error: unknown) => {
        // Not kept: the next verification tries again.
        keys = null;
        return fail('discovery_failed', `cannot discover ${issuer}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    return keys;
  };

  const checkSignature = async (token: string): Promise<{ claims: JWTPayload; kid: string | undefined }> => {
    const { jwks, algorithms } = loaded ?? (await loadKeys());
    const verifyOnce = async (): Promise<{ claims: JWTPayload; kid: string | undefined }> => {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience, algorithms, typ: 'at+jwt', clockTolerance: tolerance, requiredClaims: ['exp', 'sub'] });
        return { claims: payload, kid: protectedHeader.kid };
      } finally {
        noteKeySet(jwks);
      }
    };
    try {
      return await verifyOnce();
    } catch (error) {
      // A kid not in the cached set (an emergency rotation): one reload per cooldown, however many such tokens come.
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - lastUnknownKidReload < cooldown) throw error;
      lastUnknownKidReload = Date.now();
      await jwks.reload();
      return verifyOnce();
    }
  };

  const translate = (error: unknown): never => {
    if (error instanceof VerifyError) throw error;
    if (error instanceof errors.JWTExpired) return fail('token_expired', 'the token has expired', { cause: error });
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'iss') return fail('issuer_mismatch', `the token was not issued by ${issuer}`, { cause: error });
      if (error.claim === 'aud') return fail('audience_mismatch', `the token is not meant for ${audience.join(' or ')}`, { cause: error });
      if (error.claim === 'nbf') return fail('token_not_yet_valid', 'the token is not valid yet', { cause: error });
      return fail('invalid_token', `the token's ${error.claim} claim is not acceptable: ${error.message}`, { cause: error });
    }
    if (error instanceof errors.JWKSNoMatchingKey) return fail('invalid_token', 'the token is signed by a key the issuer does not publish', { cause: error });
    if (error instanceof errors.JOSEAlgNotAllowed) return fail('invalid_token', 'the token is signed with an algorithm that is not accepted', { cause: error });
    if (error instanceof errors.JWSSignatureVerificationFailed) return fail('invalid_token', 'the token signature is not valid', { cause: error });
    if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
      return fail('invalid_token', 'the token is malformed', { cause: error });
    }
    return fail('discovery_failed', `cannot fetch the signing keys of ${issuer}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  };

  const waitForFeed = async (): Promise<boolean> => {
    if (feedReady === true || feed === null) return true;
    feedReady ||= feed.ready().then(
      () => (feedReady = true),
      () => (feedReady = false),
    );
    return feedReady;
  };

  const checkRevocation = (claims: JWTPayload, kid: string | undefined, ready: boolean): void => {
    if (feed === null) return;
    const verdict = ready ? feed.check(claims, kid) : 'stale';
    if (verdict === 'token_revoked') fail('token_revoked', 'the token has been revoked');
    if (verdict === 'stale' && onStale === 'reject') fail('revocation_state_stale', 'the revocation state is out of date: try again shortly');
  };

  const checkScopes = (principal: Principal, extra: readonly string[] | undefined): void => {
    const required = extra ? [...(options.requiredScopes ?? []), ...extra] : options.requiredScopes;
    if (!required?.length) return;
    const missing = required.filter((scope) => !principal.scopes.has(scope));
    if (missing.length) fail('insufficient_scope', `the token lacks the scope ${missing.join(' ')}`, { scope: required });
  };

  const accept = (token: string, claims: JWTPayload, kid: string | undefined, ready: boolean, verifyOptions: VerifyOptions): Principal => {
    const principal = principalOf(claims);
    checkRevocation(claims, kid, ready);
    // Cached once valid and not revoked: a later revocation is still seen, the feed is asked on every hit.
    if (typeof claims.exp === 'number') cache.set(token, { principal, exp: claims.exp, kid });
    checkScopes(principal, verifyOptions?.requiredScopes);
    return principal;
  };

  const verifyReady = (token: string, verifyOptions: VerifyOptions, ready: boolean): Principal | Promise<Principal> => {
    const hit = cache.get(token);
    // A hit stands while the key set it was checked against is fresh and still holds its key.
    if (hit && loaded?.jwks.fresh === true && knownKids.has(hit.kid)) {
      if (Date.now() / 1000 >= hit.exp + tolerance) {
        cache.delete(token);
        fail('token_expired', 'the token has expired');
      }
      checkRevocation(hit.principal.claims, hit.kid, ready);
      checkScopes(hit.principal, verifyOptions?.requiredScopes);
      return hit.principal;
    }
    if (hit) cache.delete(token);
    if (token.length > MAX_TOKEN_LENGTH || !JWS_COMPACT.test(token)) fail('invalid_token', 'the token is not a JWT');
    // A fresh key set holding the token's key: verified here, synchronously; otherwise by jose.
    const fast = fastCheck !== null && loaded?.jwks.fresh === true ? fastVerify(token, fastKeys, fastCheck) : null;
    if (fast) return accept(token, fast.claims, fast.kid, ready, verifyOptions);
    return checkSignature(token).then(({ claims, kid }) => accept(token, claims, kid, ready, verifyOptions), translate);
  };

  // The principal, synchronously when nothing needs waiting for (a cached or fast-path token with the
  // feed caught up); throws, rather than rejects, what it refuses then.
  const verifyNow = (token: string, verifyOptions?: VerifyOptions): Principal | Promise<Principal> => {
    if (typeof token !== 'string') fail('invalid_token', 'the token is not a JWT');
    if (feedReady === true || feed === null) return verifyReady(token, verifyOptions, true);
    return waitForFeed().then((ready) => verifyReady(token, verifyOptions, ready));
  };

  return {
    realm,
    [VERIFY_NOW]: verifyNow,
    async verify(token, verifyOptions) {
      return verifyNow(token, verifyOptions);
    },
    close() {
      cache.clear();
      if (ownsFeed) feed?.close();
    },
  };
}
