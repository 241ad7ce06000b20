import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { PublicJwk, SigningAlg } from '../keys/signing-key.js';

/** A signing key ready for the hot path: imported once, header pre-encoded. */
export interface JwtSigner {
  readonly kid: string;
  readonly alg: SigningAlg;
  sign(payload: object): string;
  /** Signs a payload already serialised and base64url-encoded (sign-access-token.ts's templates). */
  signEncoded(payload: string): string;
}

export interface JwtVerifierKey {
  readonly alg: SigningAlg;
  readonly key: KeyObject;
}

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export function importSigner(kid: string, alg: SigningAlg, privateJwk: string): JwtSigner {
  const key = createPrivateKey({ key: JSON.parse(privateJwk) as object & { kty: string }, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg, typ: ACCESS_TOKEN_TYPE, kid })).toString('base64url');
  // ES256 signatures are the raw r||s concatenation in JWS (RFC 7518 §3.4), not DER.
  const signature =
    alg === 'ES256'
      ? (data: Buffer) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : (data: Buffer) => sign(null, data, key);
  const signEncoded = (payload: string): string => {
    const input = `${header}.${payload}`;
    // The signing input is base64url, ASCII only: latin1 copies it without a UTF-8 encoder.
    return `${input}.${signature(Buffer.from(input, 'latin1')).toString('base64url')}`;
  };
  return {
    kid,
    alg,
    sign: (payload) => signEncoded(Buffer.from(JSON.stringify(payload)).toString('base64url')),
    signEncoded,
  };
}

export function importVerifierKey(jwk: PublicJwk): JwtVerifierKey {
  const { kid: _kid, alg, use: _use, ...material } = jwk;
  return { alg, key: createPublicKey({ key: material, format: 'jwk' }) };
}

export interface VerifiedJwt {
  readonly kid: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

function parseSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

interface TokenHeader {
  readonly kid: string;
  readonly alg: unknown;
}

// Tokens signed by one key share one header segment: decoded once. Bounded, since anyone can send headers.
const headers = new Map<string, TokenHeader>();
const HEADERS_KEPT = 64;

function headerOf(segment: string): TokenHeader | null {
  const known = headers.get(segment);
  if (known !== undefined) return known;
  const header = parseSegment(segment);
  if (!header || typeof header.kid !== 'string' || header.typ !== ACCESS_TOKEN_TYPE) return null;
  const parsed: TokenHeader = { kid: header.kid, alg: header.alg };
  if (headers.size >= HEADERS_KEPT) headers.delete(headers.keys().next().value as string);
  headers.set(segment, parsed);
  return parsed;
}

/**
 * Verifies a compact JWS whose header names one of our keys, with that key's algorithm only (never the
 * header's say-so alone, RFC 8725 §3.1) and `typ: at+jwt` (RFC 9068 §4). Returns null for anything else.
 * Every segment must be base64url characters only: decoding skips stray characters, and a non-ASCII one
 * could encode (as latin1) to the byte of the character it replaced, so that a changed token would still
 * verify and decode to less than was signed. Once all are ASCII, the signing input is copied as latin1.
 */
export function verifyJwt(token: string, lookup: (kid: string) => JwtVerifierKey | null): VerifiedJwt | null {
  if (token.length > 8192) return null;
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (first < 1 || second < first + 2 || token.indexOf('.', second + 1) !== -1) return null;
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!SEGMENT.test(h) || !SEGMENT.test(p) || !SEGMENT.test(s)) return null;
  const header = headerOf(h);
  if (!header) return null;
  const found = lookup(header.kid);
  if (!found || header.alg !== found.alg) return null;
  const data = Buffer.from(token.slice(0, second), 'latin1');
  const signature = Buffer.from(s, 'base64url');
  const valid =
    found.alg === 'ES256'
      ? verify('sha256', data, { key: found.key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(null, data, found.key, signature);
  if (!valid) return null;
  const payload = parseSegment(p);
  return payload ? { kid: header.kid, payload } : null;
}
