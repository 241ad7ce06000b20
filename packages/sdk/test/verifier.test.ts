import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose';
import { provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createVerifier, VerifyError, type VerifierOptions } from '../src/index.js';
import { VERIFY_NOW } from '../src/verifier.js';
import { fakeFeed, listen } from './support.js';

const EMAIL = 'urn:latchkey:service:email:dev';

async function refusal(promise: Promise<unknown>): Promise<VerifyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof VerifyError)) throw new Error(`expected a VerifyError, got ${String(error)}`);
  return error;
}

describe('createVerifier against Latchkey', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'SDKVERIFY' });
    token = await tokenFor(server, client);
  });
  afterAll(() => server.dispose());

  const verifier = (extra: Partial<VerifierOptions> = {}) => createVerifier({ issuer: server.url, audience: EMAIL, ...extra });
  /** A token signed by Latchkey's current key with the claims given (what the server would never issue). */
  const signed = (claims: Record<string, unknown>): string => {
    const now = Math.floor(Date.now() / 1000);
    return server.runtime.keys.signer().sign({ ...decodeJwt(token), iat: now, exp: now + 600, jti: crypto.randomUUID(), ...claims });
  };

  it('accepts a Latchkey token and returns its principal', async () => {
    const principal = await verifier().verify(token);
    expect(principal.subject).toBe(client.clientId);
    expect(principal.clientId).toBe(client.clientId);
    expect([...principal.scopes]).toEqual(['email:send', 'email:read']);
    expect(principal.claims).toMatchObject({ iss: server.url, aud: EMAIL, app: 'SDKVERIFY' });
  });

  it('accepts an audience among several, and a token naming several audiences', async () => {
    const twoServices = await provisionClient(server.runtime, { acronym: 'SDKTWO', serviceKeys: { email: ['email:send', 'email:read'], docgen: ['docgen:render'] } });
    const both = await tokenFor(server, twoServices);
    expect(decodeJwt(both).aud).toEqual([EMAIL, 'urn:latchkey:service:docgen:dev']);
    await expect(verifier({ audience: 'urn:latchkey:service:docgen:dev' }).verify(both)).resolves.toMatchObject({ clientId: twoServices.clientId });
    await expect(verifier({ audience: ['urn:x', EMAIL] }).verify(token)).resolves.toBeDefined();
  });

  it('answers a repeated token from the verified-token cache', async () => {
    const v = verifier();
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
  });

  it('gives the adapters a known-key or cached token without a promise, and throws (not rejects) a refusal', async () => {
    const v = verifier();
    await v.verify(token); // fetches the metadata and the key set
    const fresh = await tokenFor(server, client);
    const now = v[VERIFY_NOW];
    const first = now(fresh);
    expect(first).not.toBeInstanceOf(Promise);
    expect(now(fresh)).toBe(first);
    expect(() => now('not.a.jwt!')).toThrow(VerifyError);
    await expect(v.verify('not.a.jwt!')).rejects.toBeInstanceOf(VerifyError);
  });

  it('refuses malformed, forged and foreign-key tokens as invalid_token (401)', async () => {
    const v = verifier();
    const [header, payload] = token.split('.');
    const other = (await tokenFor(server, client)).split('.')[2];
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: decodeProtectedHeader(token).kid! }).sign(privateKey);
    const unknownKid = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'nobody' }).sign(privateKey);
    for (const bad of ['', 'abc', 'a.b.c', `${header}.${payload}.${other}`, foreign, unknownKid, `${header}.${payload}.`]) {
      const error = await refusal(v.verify(bad));
      expect(error.code, bad).toBe('invalid_token');
      expect(error.status).toBe(401);
      expect(error.wwwAuthenticate).toMatch(new RegExp(`^Bearer realm="${EMAIL}", error="invalid_token", error_description="[^"]+"$`));
    }
  });

  it('refuses expired tokens (token_expired) beyond the clock tolerance only', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await refusal(verifier().verify(signed({ exp: now - 10 })));
    expect(error).toMatchObject({ code: 'token_expired', status: 401 });
    expect(error.wwwAuthenticate).toBe(`Bearer realm="${EMAIL}", error="invalid_token", error_description="the token has expired"`);
    await expect(verifier().verify(signed({ exp: now - 2 }))).resolves.toBeDefined();
    await expect(verifier({ clockTolerance: 0 }).verify(signed({ exp: now - 2 }))).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('refuses a cached token once it expires', async () => {
    const v = verifier({ clockTolerance: 0 });
    const shortLived = signed({ exp: Math.floor(Date.now() / 1000) + 1 });
    await v.verify(shortLived);
    await sleep(Math.max(0, (decodeJwt(shortLived).exp ?? 0) * 1000 - Date.now()) + 50);
    await expect(v.verify(shortLived)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('refuses a token not valid yet (token_not_yet_valid)', async () => {
    const error = await refusal(verifier().verify(signed({ nbf: Math.floor(Date.now() / 1000) + 120 })));
    expect(error).toMatchObject({ code: 'token_not_yet_valid', status: 401 });
  });

  it('refuses a token of another issuer (issuer_mismatch)', async () => {
    const error = await refusal(verifier().verify(signed({ iss: 'https://evil.example' })));
    expect(error).toMatchObject({ code: 'issuer_mismatch', status: 401 });
  });

  it('refuses a token for another service (audience_mismatch)', async () => {
    const error = await refusal(verifier({ audience: 'urn:latchkey:service:billing:dev' }).verify(token));
    expect(error).toMatchObject({ code: 'audience_mismatch', status: 401 });
    expect(error.message).toContain('urn:latchkey:service:billing:dev');
  });

  it('refuses a token lacking a required scope (insufficient_scope, 403 naming the scope)', async () => {
    const narrow = await tokenFor(server, client, { scope: 'email:read' });
    const error = await refusal(verifier({ requiredScopes: ['email:send'] }).verify(narrow));
    expect(error).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(error.wwwAuthenticate).toBe(`Bearer realm="${EMAIL}", error="insufficient_scope", error_description="the token lacks the scope email:send", scope="email:send"`);
    // Per call too, and on a cache hit.
    const v = verifier();
    await v.verify(narrow);
    await expect(v.verify(narrow, { requiredScopes: ['email:send'] })).rejects.toMatchObject({ code: 'insufficient_scope' });
    await expect(v.verify(narrow, { requiredScopes: ['email:read'] })).resolves.toBeDefined();
  });

  it('answers discovery_failed (503) when the issuer cannot be reached', async () => {
    const dead = await listen(() => undefined);
    await dead.close();
    const error = await refusal(createVerifier({ issuer: dead.url, audience: EMAIL }).verify(token));
    expect(error).toMatchObject({ code: 'discovery_failed', status: 503 });
    expect(error.wwwAuthenticate).toBe(`Bearer realm="${EMAIL}"`);
    expect(error.body()).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringContaining(dead.url) });
  });

  describe('with a revocation feed', () => {
    it('refuses what the feed says is revoked (token_revoked), on first sight and on a cache hit', async () => {
      const feed = fakeFeed();
      feed.makeReady();
      const v = verifier({ revocations: feed });
      const fresh = await tokenFor(server, client);
      await v.verify(fresh);
      feed.set('token_revoked');
      const error = await refusal(v.verify(fresh));
      expect(error).toMatchObject({ code: 'token_revoked', status: 401 });
      expect(error.wwwAuthenticate).toContain('error="invalid_token"');
      await expect(v.verify(await tokenFor(server, client))).rejects.toMatchObject({ code: 'token_revoked' });
      expect(feed.checked).toContain(decodeJwt(fresh).jti);
      v.close();
      expect(feed.closed).toBe(false);
    });

    it('fails closed on a stale feed by default (revocation_state_stale, 503), open when asked', async () => {
      const feed = fakeFeed('stale');
      feed.makeReady();
      const error = await refusal(verifier({ revocations: feed }).verify(token));
      expect(error).toMatchObject({ code: 'revocation_state_stale', status: 503 });
      await expect(verifier({ revocations: feed, onStale: 'accept' }).verify(token)).resolves.toBeDefined();
    });

    it('waits for the first snapshot before answering', async () => {
      const feed = fakeFeed();
      const pending = verifier({ revocations: feed }).verify(token);
      let settled = false;
      void pending.finally(() => (settled = true));
      await sleep(100);
      expect(settled).toBe(false);
      feed.makeReady();
      await expect(pending).resolves.toBeDefined();
    });
  });
});
