import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { KeyManager } from './key-manager.js';

export interface SignAccessTokenDeps {
  readonly keys: KeyManager;
  readonly clock: Clock;
  readonly random: Random;
  readonly issuer: string;
}

/**
 * The registered claims the caller decides: who the token is about, for whom, and until when: seconds
 * from now (`exp` = `iat` + `lifetimeSeconds`), or a fixed `exp` (a personal token ends when its record does).
 */
export type AccessTokenSubject = {
  readonly sub: string;
  readonly aud: string | readonly string[];
} & ({ readonly lifetimeSeconds: number } | { readonly exp: number });

export interface SignedAccessToken {
  /** The compact JWS. */
  readonly jwt: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly exp: number;
}

/**
 * An RFC 9068 access token signed by the current key (whose signer carries the `alg`, `typ: at+jwt` and
 * `kid` header, encoded once). This is where `iss`, `iat`, `exp` and a fresh `jti` are set, so every token
 * this server issues has them in the same order: iss, sub, aud, exp, iat, jti, then `claims` as given.
 */
export function signAccessToken(deps: SignAccessTokenDeps, subject: AccessTokenSubject, claims: Readonly<Record<string, unknown>>): SignedAccessToken {
  const iat = Math.floor(deps.clock.now() / 1000);
  const exp = 'exp' in subject ? subject.exp : iat + subject.lifetimeSeconds;
  const jti = deps.random.uuid();
  const jwt = deps.keys.signer().sign({ iss: deps.issuer, sub: subject.sub, aud: subject.aud, exp, iat, jti, ...claims });
  return { jwt, jti, exp };
}

/**
 * The claims every token of one subject shares (all but `exp`, `iat` and `jti`), serialised and encoded
 * once. Base64url turns each 3 bytes into 4 characters on their own, so JSON pieces whose lengths are
 * multiples of 3 (padded with the whitespace JSON allows after a comma) encode separately and concatenate
 * into the encoding of the whole: a token is the template plus the encoding of its ~80 changing bytes,
 * with the claims in signAccessToken's order.
 */
export interface AccessTokenTemplate {
  readonly issuer: string;
  /** `{"iss":…,"sub":…,"aud":…,` padded, encoded. */
  readonly head: string;
  /** The remaining claims and the closing brace, encoded; empty when there are none. */
  readonly tail: string;
}

function padded(json: string): string {
  let text = json;
  while (Buffer.byteLength(text) % 3 !== 0) text += ' ';
  return text;
}

export function accessTokenTemplate(issuer: string, subject: { readonly sub: string; readonly aud: string | readonly string[] }, claims: Readonly<Record<string, unknown>>): AccessTokenTemplate {
  const head = `${JSON.stringify({ iss: issuer, sub: subject.sub, aud: subject.aud }).slice(0, -1)},`;
  const rest = JSON.stringify(claims);
  return { issuer, head: Buffer.from(padded(head)).toString('base64url'), tail: rest === '{}' ? '' : Buffer.from(rest.slice(1)).toString('base64url') };
}

/** signAccessToken for a template's subject and claims (made for `deps.issuer`). */
export function signTemplatedAccessToken(deps: SignAccessTokenDeps, template: AccessTokenTemplate, lifetimeSeconds: number): SignedAccessToken {
  const iat = Math.floor(deps.clock.now() / 1000);
  const exp = iat + lifetimeSeconds;
  const jti = deps.random.uuid();
  // The jti is a UUID and the times digits: ASCII, so the length in characters is the length in bytes.
  const middle = template.tail === '' ? `"exp":${exp},"iat":${iat},"jti":"${jti}"}` : padded(`"exp":${exp},"iat":${iat},"jti":"${jti}",`);
  const jwt = deps.keys.signer().signEncoded(template.head + Buffer.from(middle, 'latin1').toString('base64url') + template.tail);
  return { jwt, jti, exp };
}
