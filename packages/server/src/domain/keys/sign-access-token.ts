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
