import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { VerifyError, type VerifyErrorCode } from './verify-error.js';

/**
 * The synchronous path for what Latchkey signs (ES256, EdDSA) with a key already in the cached JWKS:
 * node:crypto's one-shot verify instead of WebCrypto's (which hops to the thread pool and back), and the
 * RFC 9068 / RFC 7519 checks jose makes, made the same way. Anything unusual (another header member, an
 * algorithm or key type not handled here, a kid not in the set) returns null: jose's `jwtVerify` decides.
 *
 * @example
 * ```ts
 * const check: FastCheck = { issuer, audience: ['urn:latchkey:service:email:prod'], algorithms: ['ES256'], tolerance: 5, realm };
 * ```
 */
export interface FastCheck {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly algorithms: readonly string[];
  /** Seconds. */
  readonly tolerance: number;
  readonly realm: string;
}

interface UsableKey {
  readonly alg: 'ES256' | 'EdDSA';
  readonly key: KeyObject;
}

const HEADER_MEMBERS = new Set(['alg', 'typ', 'kid']);

/**
 * The keys of a JWKS this path can use, by kid (recomputed by the caller when the set changes).
 *
 * @example
 * ```ts
 * const keys = usableKeys(await (await fetch(jwksUri)).json());
 * ```
 */
export function usableKeys(set: JSONWebKeySet | undefined): Map<string, UsableKey> {
  const keys = new Map<string, UsableKey>();
  for (const jwk of set?.keys ?? []) {
    if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    const alg = jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : null;
    if (alg === null || (jwk.alg !== undefined && jwk.alg !== alg)) continue;
    try {
      keys.set(jwk.kid, { alg, key: createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) }, format: 'jwk' }) });
    } catch {
      // a malformed key: jose will say so if a token names it
    }
  }
  return keys;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// Tokens signed by one key share one header segment: decoded once. Bounded, since anyone can send headers.
const headers = new Map<string, Record<string, unknown> | null>();
const HEADERS_KEPT = 64;

function headerOf(segment: string): Record<string, unknown> | null {
  let header = headers.get(segment);
  if (header === undefined) {
    header = decodeJson(segment);
    if (headers.size >= HEADERS_KEPT) headers.delete(headers.keys().next().value as string);
    headers.set(segment, header);
  }
  return header;
}

const refuse = (code: VerifyErrorCode, message: string, realm: string): never => {
  throw new VerifyError(code, message, { realm });
};

/**
 * The verified claims and kid, or null when jose must decide; throws a VerifyError for a refused token.
 * The caller has checked that the token is three base64url segments (the verifier's JWS_COMPACT test).
 *
 * @example
 * ```ts
 * const verified = fastVerify(token, keys, check); // null: let jose decide
 * ```
 */
export function fastVerify(token: string, keys: ReadonlyMap<string, UsableKey>, check: FastCheck): { claims: JWTPayload; kid: string } | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const header = headerOf(token.slice(0, first));
  if (header === null || typeof header.kid !== 'string' || typeof header.alg !== 'string') return null;
  for (const member of Object.keys(header)) if (!HEADER_MEMBERS.has(member)) return null;
  const usable = keys.get(header.kid);
  if (!usable || usable.alg !== header.alg) return null;
  if (!check.algorithms.includes(usable.alg)) return refuse('invalid_token', 'the token is signed with an algorithm that is not accepted', check.realm);
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (typ !== 'at+jwt' && typ !== 'application/at+jwt') return refuse('invalid_token', 'the token\'s typ claim is not acceptable: expected at+jwt', check.realm);
  // The verifier let through only base64url characters (JWS_COMPACT): ASCII, copied as latin1.
  const data = Buffer.from(token.slice(0, second), 'latin1');
  const signature = Buffer.from(token.slice(second + 1), 'base64url');
  const valid = usable.alg === 'ES256' ? verifySignature('sha256', data, { key: usable.key, dsaEncoding: 'ieee-p1363' }, signature) : verifySignature(null, data, usable.key, signature);
  if (!valid) return refuse('invalid_token', 'the token signature is not valid', check.realm);
  const claims = decodeJson(token.slice(first + 1, second));
  if (claims === null) return refuse('invalid_token', 'the token is malformed', check.realm);
  const now = Math.floor(Date.now() / 1000);
  // jose's order and comparisons: iss, aud, then nbf and exp with the tolerance; exp and sub required.
  if (claims.iss !== check.issuer) return refuse('issuer_mismatch', `the token was not issued by ${check.issuer}`, check.realm);
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.some((a) => check.audience.includes(a as string))) return refuse('audience_mismatch', `the token is not meant for ${check.audience.join(' or ')}`, check.realm);
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') return refuse('invalid_token', 'the token\'s nbf claim is not a number', check.realm);
    if (claims.nbf > now + check.tolerance) return refuse('token_not_yet_valid', 'the token is not valid yet', check.realm);
  }
  if (typeof claims.exp !== 'number') return refuse('invalid_token', 'the token has no numeric exp claim', check.realm);
  if (claims.exp <= now - check.tolerance) return refuse('token_expired', 'the token has expired', check.realm);
  if (typeof claims.sub !== 'string') return refuse('invalid_token', 'the token has no sub claim', check.realm);
  if (claims.iat !== undefined && typeof claims.iat !== 'number') return refuse('invalid_token', 'the token\'s iat claim is not a number', check.realm);
  return { claims: claims as JWTPayload, kid: header.kid };
}
