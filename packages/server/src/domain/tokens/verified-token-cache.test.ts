import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PublicJwk } from '../keys/signing-key.js';
import { importSigner, importVerifierKey, type JwtVerifierKey } from './jwt.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';

function keyPair(kid: string): { sign: (claims: object) => string; publicJwk: PublicJwk } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = importSigner(kid, 'ES256', JSON.stringify(privateKey.export({ format: 'jwk' })));
  const pub = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
  return { sign: (claims) => signer.sign(claims), publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' } };
}

describe('the verified-token cache', () => {
  const one = keyPair('one');
  let verifier: JwtVerifierKey | null = importVerifierKey(one.publicJwk);
  const lookup = (kid: string): JwtVerifierKey | null => (kid === 'one' ? verifier : null);

  it('checks a signature once and answers the same token from memory after that', () => {
    const cache = createVerifiedTokenCache();
    const token = one.sign({ jti: 'a' });
    const first = cache.verify(token, lookup);
    expect(first?.payload).toEqual({ jti: 'a' });
    expect(cache.verify(token, lookup)).toBe(first);
    expect(cache.size()).toBe(1);
  });

  it('stores nothing for a forged, tampered or foreign token', () => {
    const cache = createVerifiedTokenCache();
    const token = one.sign({ jti: 'b' });
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from('{"jti":"admin"}').toString('base64url')}.${s}`;
    const foreign = keyPair('one').sign({ jti: 'c' });
    for (const bad of [forged, foreign, 'not.a.jwt', '']) expect(cache.verify(bad, lookup)).toBeNull();
    expect(cache.size()).toBe(0);
  });

  it('forgets a hit once its key no longer verifies (retired or revoked), and refuses the token', () => {
    const cache = createVerifiedTokenCache();
    const token = one.sign({ jti: 'd' });
    expect(cache.verify(token, lookup)).not.toBeNull();
    const kept = verifier;
    verifier = null;
    expect(cache.verify(token, lookup)).toBeNull();
    expect(cache.size()).toBe(0);
    verifier = kept;
  });

  it('checks again when the key was imported anew', () => {
    const cache = createVerifiedTokenCache();
    const token = one.sign({ jti: 'e' });
    const first = cache.verify(token, lookup);
    const kept = verifier;
    verifier = importVerifierKey(one.publicJwk);
    const second = cache.verify(token, lookup);
    expect(second).not.toBe(first);
    expect(second?.payload).toEqual({ jti: 'e' });
    verifier = kept;
  });

  it('holds at most its capacity, dropping the oldest first', () => {
    const cache = createVerifiedTokenCache(2);
    const [a, b, c] = ['f', 'g', 'h'].map((jti) => one.sign({ jti })) as [string, string, string];
    const first = cache.verify(a, lookup);
    const second = cache.verify(b, lookup);
    cache.verify(c, lookup);
    expect(cache.size()).toBe(2);
    expect(cache.verify(b, lookup)).toBe(second);
    expect(cache.verify(a, lookup)).not.toBe(first);
  });
});
