import { createHash, generateKeyPairSync } from 'node:crypto';
import type { ServerKeyring } from '../secrets/server-key.js';
import type { PublicJwk, SigningAlg, SigningKeyRecord } from './signing-key.js';

/** RFC 7638 JWK thumbprint, used as the kid. */
function thumbprint(jwk: { kty?: string; crv?: string; x?: string; y?: string }): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export function generateSigningKey(
  alg: SigningAlg,
  serverKeys: ServerKeyring,
  times: { createdAt: number; activatesAt: number | null },
): SigningKeyRecord {
  const { publicKey, privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(pub);
  if (!pub.kty || !pub.crv || !pub.x) throw new Error('key generation produced an incomplete JWK');
  const publicJwk: PublicJwk = {
    kty: pub.kty,
    crv: pub.crv,
    x: pub.x,
    ...(pub.y ? { y: pub.y } : {}),
    kid,
    alg,
    use: 'sig',
  };
  return {
    kid,
    alg,
    publicJwk,
    encryptedPrivateKey: serverKeys.encrypt(JSON.stringify(privateKey.export({ format: 'jwk' })), kid),
    createdAt: times.createdAt,
    activatesAt: times.activatesAt,
    revokedAt: null,
  };
}
