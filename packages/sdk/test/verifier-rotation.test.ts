import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeProtectedHeader } from 'jose';
import { provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createPrincipalResolver, createTokenClient, createVerifier, VerifyError, type TokenClient, type Verifier } from '../src/index.js';
import { countingFetch, listen, type LocalServer } from './support.js';

const kidOf = (token: string): string => decodeProtectedHeader(token).kid ?? '';

describe('client and verifier through key rotation (keys rotate, then --now)', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let verifier: Verifier;
  let tokens: TokenClient;
  let resource: LocalServer;
  const jwks = countingFetch();
  const failures: string[] = [];
  let calls = 0;
  let stopped = false;
  let loop: Promise<void>;

  /** Asks Latchkey for tokens until one is signed by a key other than `kid` (the server follows the change). */
  async function tokenNotSignedBy(kid: string): Promise<string> {
    for (let i = 0; i < 200; i += 1) {
      const token = await tokenFor(server, client);
      if (kidOf(token) !== kid) return token;
      await sleep(20);
    }
    throw new Error(`still signing with ${kid}`);
  }

  async function rotate(...flags: string[]): Promise<void> {
    const { code, stderr } = await server.cli(['keys', 'rotate', ...flags]);
    if (code !== 0) throw new Error(`keys rotate ${flags.join(' ')} failed: ${stderr}`);
  }

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'SDKROTATE' });
    verifier = createVerifier({ issuer: server.url, audience: 'urn:latchkey:service:email:dev', fetch: jwks.fetch });
    const principalOf = createPrincipalResolver(verifier);
    resource = await listen((request, response) => {
      principalOf(request).then(
        (principal) => response.end(principal.subject),
        (error: VerifyError) => response.writeHead(error.status, { 'www-authenticate': error.wwwAuthenticate }).end(error.message),
      );
    });
    tokens = createTokenClient({ issuer: server.url, ...client });
    // A caller as a service would be one: calls through the token client's fetch, all along.
    loop = (async () => {
      while (!stopped) {
        const response = await tokens.fetch(`${resource.url}/send`).catch((error: Error) => ({ status: 0, text: async () => error.message }));
        calls += 1;
        if (response.status !== 200) failures.push(`${response.status} ${await response.text()}`);
        await sleep(10);
      }
    })();
  });
  afterAll(async () => {
    stopped = true;
    await loop;
    tokens.close();
    await resource.close();
    await server.dispose();
  });

  it('keeps accepting old and new tokens through a scheduled rotation, without a JWKS reload', async () => {
    const before = await tokens.getToken();
    await verifier.verify(before);
    const jwksFetches = jwks.count('/oauth/jwks');
    await rotate();
    const after = await tokenNotSignedBy(kidOf(before));
    await expect(verifier.verify(after)).resolves.toBeDefined();
    await expect(verifier.verify(before)).resolves.toBeDefined();
    // The next key was published before it signed: the verifier already held it.
    expect(jwks.count('/oauth/jwks')).toBe(jwksFetches);
    expect(failures).toEqual([]);
  });

  it('after --now refuses old-key tokens as invalid_token and accepts new ones at first sight', async () => {
    const old = await tokenFor(server, client);
    await verifier.verify(old);
    // A client whose cached token is signed by the key --now revokes.
    const caller = createTokenClient({ issuer: server.url, ...client });
    expect(kidOf(await caller.getToken())).toBe(kidOf(old));
    const callsBefore = calls;
    await rotate('--now');
    const fresh = await tokenNotSignedBy(kidOf(old));
    // First sight of the new kid: one JWKS reload, no failed verification.
    await expect(verifier.verify(fresh)).resolves.toBeDefined();
    const error = await verifier.verify(old).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyError);
    expect(error).toMatchObject({ code: 'invalid_token' });
    // The caller's cached token is now refused: its fetch gets a fresh one and retries, so the call succeeds.
    const response = await caller.fetch(`${resource.url}/send`);
    expect(response.status).toBe(200);
    expect(kidOf(await caller.getToken())).toBe(kidOf(fresh));
    caller.close();
    while (calls < callsBefore + 20) await sleep(20);
    expect(failures).toEqual([]);
  });
});
