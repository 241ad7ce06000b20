import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { importSigner, type JwtSigner } from '../tokens/jwt.js';
import type { KeyManager } from './key-manager.js';
import { accessTokenTemplate, signAccessToken, signTemplatedAccessToken, type SignAccessTokenDeps } from './sign-access-token.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer: JwtSigner = importSigner('k1', 'ES256', JSON.stringify(privateKey.export({ format: 'jwk' })));
const jwks = createLocalJWKSet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' }] });
const now = Date.UTC(2026, 11, 3, 12);
let n = 0;
const deps = (issuer: string): SignAccessTokenDeps => ({
  keys: { signer: () => signer } as Pick<KeyManager, 'signer'> as KeyManager,
  clock: { now: () => now },
  random: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, bytes: (length) => Buffer.alloc(length) },
  issuer,
});

const payloadText = (jwt: string): string => Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8');

describe('access tokens built from a template', () => {
  // Issuers and audiences of every length modulo 3, non-ASCII ones, arrays, and no extra claims.
  const cases = [
    { issuer: 'https://a.example', aud: 'x', claims: { client_id: 'c1', scope: 'email:send', env: 'dev', app: 'APP' } },
    { issuer: 'https://ab.example', aud: ['https://one.example/dev', 'two'], claims: { client_id: 'c22', scope: '', env: 'test', app: 'A' } },
    { issuer: 'https://abc.example', aud: 'élève', claims: { client_id: 'c333', scope: 'a b c', env: 'prod', app: 'ÉCOLE' } },
    { issuer: 'http://127.0.0.1:8080', aud: 'https://email.example.org/dev', claims: {} },
  ];

  it.each(cases)('has the claims, in the order, of a token built from scratch ($issuer)', async ({ issuer, aud, claims }) => {
    const subject = { sub: 'client-1', aud };
    const template = accessTokenTemplate(issuer, subject, claims);
    const templated = signTemplatedAccessToken(deps(issuer), template, 300);
    const scratch = signAccessToken(deps(issuer), { ...subject, lifetimeSeconds: 300 }, claims);
    const fromTemplate = JSON.parse(payloadText(templated.jwt)) as Record<string, unknown>;
    const fromScratch = JSON.parse(payloadText(scratch.jwt)) as Record<string, unknown>;
    expect(Object.keys(fromTemplate)).toEqual(Object.keys(fromScratch));
    expect({ ...fromTemplate, jti: null }).toEqual({ ...fromScratch, jti: null });
    expect(fromTemplate.jti).toBe(templated.jti);
    expect(templated.exp).toBe(Math.floor(now / 1000) + 300);
    // Only insignificant whitespace separates the two serialisations.
    expect(payloadText(templated.jwt).replace(/, +/g, ',').replace(templated.jti, 'J')).toBe(payloadText(scratch.jwt).replace(scratch.jti, 'J'));
    const { payload, protectedHeader } = await jwtVerify(templated.jwt, jwks, { issuer, currentDate: new Date(now), typ: 'at+jwt' });
    expect(protectedHeader.kid).toBe('k1');
    expect(payload.sub).toBe('client-1');
  });
});
