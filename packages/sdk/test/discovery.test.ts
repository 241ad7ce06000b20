import { afterEach, describe, expect, it } from 'vitest';
import { createDiscovery, createTokenClient, createVerifier, discover, DiscoveryError } from '../src/index.js';
import { listen, type LocalServer } from './support.js';

describe('discovery (RFC 8414)', () => {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A metadata server answering per path with what `answer` says, counting requests. */
  async function metadataServer(answer: (path: string, n: number, url: string) => { status: number; body?: unknown }) {
    const seen: string[] = [];
    const server = await listen((request, response) => {
      const path = request.url ?? '';
      seen.push(path);
      const { status, body } = answer(path, seen.filter((p) => p === path).length, server.url);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
    servers.push(server);
    return { url: server.url, seen };
  }

  it('falls back to /.well-known/openid-configuration on a 404', async () => {
    const server = await metadataServer((path, _n, url) =>
      path === '/.well-known/openid-configuration' ? { status: 200, body: { issuer: url, token_endpoint: `${url}/token` } } : { status: 404 },
    );
    await expect(discover(`${server.url}/`)).resolves.toMatchObject({ token_endpoint: `${server.url}/token` });
    expect(server.seen).toEqual(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
  });

  it('retries a 503, then refuses a document naming another issuer', async () => {
    const server = await metadataServer((_path, n) => (n === 1 ? { status: 503 } : { status: 200, body: { issuer: 'https://elsewhere.example', token_endpoint: 'x' } }));
    const error = await discover(server.url, { retry: { baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as Error).message).toMatch(/names issuer "https:\/\/elsewhere.example"/);
    expect(server.seen).toHaveLength(2);
  });

  it('is fetched once for concurrent callers, and a failure is not kept', async () => {
    let healthy = false;
    const server = await metadataServer((_path, _n, url) => (healthy ? { status: 200, body: { issuer: url, token_endpoint: `${url}/token` } } : { status: 500 }));
    const discovery = createDiscovery(server.url, { retry: { attempts: 1 } });
    await expect(discovery.metadata()).rejects.toBeInstanceOf(DiscoveryError);
    healthy = true;
    const before = server.seen.length;
    await Promise.all(Array.from({ length: 20 }, () => discovery.metadata()));
    expect(server.seen.length - before).toBe(1);
  });

  it('the token client throws DiscoveryError, the verifier discovery_failed, for metadata without what they need', async () => {
    const server = await metadataServer((_path, _n, url) => ({ status: 200, body: { issuer: url, token_endpoint: `${url}/token` } }));
    const verifier = createVerifier({ issuer: server.url, audience: 'urn:x' });
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'discovery_failed', message: expect.stringMatching(/no jwks_uri/) });
    // The document itself was had and stays cached: the next verification fails the same way, without a fetch.
    const before = server.seen.length;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'discovery_failed' });
    expect(server.seen.length).toBe(before);
    const unreachable = createTokenClient({ issuer: 'http://127.0.0.1:9', clientId: 'a', clientSecret: 'b', retry: { attempts: 2, baseDelayMs: 1 } });
    await expect(unreachable.getToken()).rejects.toBeInstanceOf(DiscoveryError);
  });
});

describe('options that cannot work are refused at once, saying what to fix', () => {
  it('createTokenClient and createVerifier', () => {
    expect(() => createTokenClient({ issuer: 'auth.example.org', clientId: 'a', clientSecret: 'b' })).toThrow(/issuer must be Latchkey's issuer URL/);
    expect(() => createTokenClient({ issuer: 'https://auth.example.org', clientId: '', clientSecret: 'b' })).toThrow(/clientId and clientSecret are required/);
    expect(() => createVerifier({ issuer: 'https://auth.example.org?x=1', audience: 'urn:x' })).toThrow(/issuer must be/);
    expect(() => createVerifier({ issuer: 'https://auth.example.org', audience: [] })).toThrow(/audience must name your service/);
    expect(() => createVerifier({ issuer: 'https://auth.example.org', audience: 'urn:x', clockTolerance: -1 })).toThrow(/clockTolerance/);
    expect(createVerifier({ issuer: 'https://auth.example.org/', audience: 'urn:x' }).realm).toBe('urn:x');
  });
});
