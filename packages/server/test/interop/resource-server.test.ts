import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { decodeJwt, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../support/test-server.js';
import { audienceOf, provision, callResource, EMAIL_DEV, joseVerify, remoteJwks, startResourceServer, tamper, type ResourceServer } from './support.js';

// Resource servers that only know the issuer and the JWKS URL verify Latchkey tokens on their own.
describe('resource servers verifying Latchkey access tokens', () => {
  let server: TestServer;
  let api: ResourceServer;
  let jwks: JWTVerifyGetKey;
  let emailClient: ProvisionedClient;
  const acronym = 'MAILER';

  beforeAll(async () => {
    server = await startTestServer();
    api = await startResourceServer(server);
    jwks = remoteJwks(server);
    emailClient = await provision(server, { acronym });
  });

  afterAll(async () => {
    await api?.close();
    await server?.dispose();
  });

  /** A token the server's current key signs right now, with claims of our choosing (an expired one, say). */
  async function signedByServer(changes: Record<string, unknown>): Promise<string> {
    const genuine = decodeJwt(await tokenFor(server, emailClient));
    return server.runtime.keys.signer().sign({ ...genuine, ...changes });
  }

  describe('express 5 + express-jwt 8 + jwks-rsa 3', () => {
    it('accepts a token for its audience and exposes the claims in req.auth', async () => {
      const { status, body } = await callResource(api.url, await tokenFor(server, emailClient));
      expect(status).toBe(200);
      expect(body.auth).toMatchObject({
        iss: server.url,
        aud: EMAIL_DEV,
        client_id: emailClient.clientId,
        sub: emailClient.clientId,
        scope: 'email:send email:read',
        env: 'dev',
        app: acronym,
      });
    });

    it('accepts a token whose aud lists several services including its own', async () => {
      const both = await provision(server, { serviceKeys: { email: ['email:send', 'email:read'], docs: ['docs:read'] } });
      const token = await tokenFor(server, both);
      expect([decodeJwt(token).aud].flat()).toHaveLength(2);
      expect((await callResource(api.url, token)).status).toBe(200);
    });

    it('caches the signing key: many requests, one JWKS fetch', async () => {
      const before = api.jwksFetches();
      for (let i = 0; i < 5; i++) expect((await callResource(api.url, await tokenFor(server, emailClient))).status).toBe(200);
      expect(api.jwksFetches()).toBe(before);
    });

    it.each([
      ['another service (docs, dev)', { serviceKeys: { docs: ['docs:read'] } }, audienceOf('docs')],
      ['the same service in another environment (email, test)', { env: 'test' }, audienceOf('email', 'test')],
    ])('refuses with 401 a genuine token for %s', async (_what, input, audience) => {
      const token = await tokenFor(server, await provision(server, input));
      expect(decodeJwt(token).aud).toBe(audience);
      const { status, body } = await callResource(api.url, token);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'invalid_token', message: expect.stringContaining('audience invalid') });
    });

    it.each([
      ['scope widened', { scope: 'email:send email:read email:admin' }],
      ['audience changed', { aud: audienceOf('docs') }],
      ['expiry pushed back a day', { exp: Math.floor(Date.now() / 1000) + 86_400 }],
      ['expiry moved into the past', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ])('refuses with 401 a token whose payload was tampered with (%s)', async (_what, changes) => {
      const token = tamper(await tokenFor(server, emailClient), changes);
      const { status, body } = await callResource(api.url, token);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'invalid_token', message: 'invalid signature' });
    });

    it('refuses with 401 a correctly signed token that has expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await signedByServer({ iat: now - 700, exp: now - 100 });
      const { status, body } = await callResource(api.url, expired);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'invalid_token', message: 'jwt expired' });
    });

    it('refuses with 401 a correctly signed token naming another issuer', async () => {
      const forged = await signedByServer({ iss: 'http://127.0.0.1:1' });
      const { status, body } = await callResource(api.url, forged);
      expect(status).toBe(401);
      expect(body.message).toMatch(/issuer invalid/);
    });

    it('refuses with 401 a request without a token', async () => {
      const { status, body } = await callResource(api.url);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'credentials_required' });
    });
  });

  describe('jose createRemoteJWKSet + jwtVerify (RFC 9068 profile)', () => {
    it('accepts a Latchkey token with typ at+jwt, the service audience and the issuer', async () => {
      const token = await tokenFor(server, emailClient);
      const { payload, protectedHeader } = await joseVerify(server, jwks, token);
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      expect(protectedHeader.kid).toEqual(expect.any(String));
      expect(payload).toMatchObject({ iss: server.url, aud: EMAIL_DEV, client_id: emailClient.clientId, scope: 'email:send email:read', env: 'dev', app: acronym });
      expect(typeof payload.jti).toBe('string');
    });

    it('refuses a genuine token for another audience', async () => {
      const token = await tokenFor(server, await provision(server, { serviceKeys: { docs: ['docs:read'] } }));
      await expect(joseVerify(server, jwks, token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
    });

    it('refuses a tampered token and an expired one', async () => {
      const tampered = tamper(await tokenFor(server, emailClient), { scope: 'email:admin' });
      await expect(joseVerify(server, jwks, tampered)).rejects.toBeInstanceOf(joseErrors.JWSSignatureVerificationFailed);
      const now = Math.floor(Date.now() / 1000);
      const expired = await signedByServer({ iat: now - 700, exp: now - 100 });
      await expect(joseVerify(server, jwks, expired)).rejects.toBeInstanceOf(joseErrors.JWTExpired);
    });
  });
});
