import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importSigner, importVerifierKey, verifyJwt, type JwtVerifierKey } from './jwt.js';
import type { PublicJwk } from '../keys/signing-key.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = importSigner('k1', 'ES256', JSON.stringify(privateKey.export({ format: 'jwk' })));
const key = importVerifierKey({ ...(publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string }), kid: 'k1', alg: 'ES256', use: 'sig' } as PublicJwk);
const lookup = (kid: string): JwtVerifierKey | null => (kid === 'k1' ? key : null);

/** The token with the character at `at` replaced by one whose latin1 byte is the same (U+0100 higher). */
const lookalike = (token: string, at: number): string => token.slice(0, at) + String.fromCharCode(token.charCodeAt(at) + 0x100) + token.slice(at + 1);

describe('verifyJwt', () => {
  const token = signer.sign({ sub: 'client-1', scope: 'a b', exp: 2_000_000_000 });
  const [h = '', p = ''] = token.split('.');

  it('verifies our token, again and again (the header decoded once)', () => {
    expect(verifyJwt(token, lookup)?.payload).toEqual({ sub: 'client-1', scope: 'a b', exp: 2_000_000_000 });
    expect(verifyJwt(token, lookup)?.kid).toBe('k1');
  });

  it('refuses a character outside base64url in any segment, even one that is the same byte in latin1', () => {
    for (const at of [1, h.length + 5, h.length + 1 + p.length + 5]) expect(verifyJwt(lookalike(token, at), lookup)).toBeNull();
    expect(verifyJwt(`${token}=`, lookup)).toBeNull();
    expect(verifyJwt(`${token.slice(0, h.length + 3)}!${token.slice(h.length + 3)}`, lookup)).toBeNull();
  });

  it('refuses anything but three non-empty segments, an unknown key, another typ', () => {
    expect(verifyJwt(`${token}.x`, lookup)).toBeNull();
    expect(verifyJwt(`.${p}.x`, lookup)).toBeNull();
    expect(verifyJwt(`${h}..x`, lookup)).toBeNull();
    expect(verifyJwt(token, () => null)).toBeNull();
    const other = importSigner('k2', 'ES256', JSON.stringify(privateKey.export({ format: 'jwk' }))).sign({ sub: 'x' });
    expect(verifyJwt(other, lookup)).toBeNull();
  });
});
