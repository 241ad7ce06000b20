import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createTokenClient, TokenRequestError } from '../src/index.js';
import { countingFetch, listen, readBody, type LocalServer } from './support.js';

/**
 * A token endpoint in front of Latchkey that answers what the test scripts (a status, headers) for the
 * first requests, then forwards to Latchkey's /oauth/token.
 */
async function flakyIssuer(latchkey: TestServer, script: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  let tokenRequests = 0;
  let url = '';
  const server = await listen(async (request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/oauth-authorization-server') return response.end(JSON.stringify({ issuer: url, token_endpoint: `${url}/token` }));
    const body = await readBody(request);
    const step = script[tokenRequests++];
    if (step) {
      response.writeHead(step.status, step.headers);
      return response.end(JSON.stringify(step.body ?? { error: 'temporarily_unavailable' }));
    }
    const forwarded = await fetch(`${latchkey.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: request.headers.authorization ?? '', 'content-type': request.headers['content-type'] ?? '' },
      body,
    });
    response.statusCode = forwarded.status;
    response.end(await forwarded.text());
  });
  url = server.url;
  return { server, tokenRequests: () => tokenRequests };
}

describe('token requests are retried on 5xx, 429 and network errors, never on 400/401', () => {
  let latchkey: TestServer;
  let client: ProvisionedClient;
  const servers: LocalServer[] = [];
  const quick = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

  beforeAll(async () => {
    latchkey = await startTestServer();
    client = await provisionClient(latchkey.runtime, { acronym: 'SDKRETRY' });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await latchkey.dispose();
  });

  const through = async (script: Parameters<typeof flakyIssuer>[1], retry = quick) => {
    const flaky = await flakyIssuer(latchkey, script);
    servers.push(flaky.server);
    const tokens = createTokenClient({ issuer: flaky.server.url, ...client, retry });
    return { tokens, tokenRequests: flaky.tokenRequests };
  };

  it('gets the token after two 503s (three requests)', async () => {
    const { tokens, tokenRequests } = await through([{ status: 503 }, { status: 502 }]);
    expect(await tokens.getToken()).toMatch(/^ey/);
    expect(tokenRequests()).toBe(3);
  });

  it('honours Retry-After on a 429', async () => {
    const { tokens, tokenRequests } = await through([{ status: 429, headers: { 'retry-after': '1' } }], { attempts: 2, baseDelayMs: 1, maxDelayMs: 5_000 });
    const started = Date.now();
    await tokens.getToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(tokenRequests()).toBe(2);
  });

  it('gives up after the attempts with the last answer as a TokenRequestError', async () => {
    const failing = Array.from({ length: 10 }, () => ({ status: 500, body: { error: 'server_error', error_description: 'database down' } }));
    const { tokens, tokenRequests } = await through(failing);
    await expect(tokens.getToken()).rejects.toMatchObject({ name: 'TokenRequestError', status: 500, error: 'server_error', errorDescription: 'database down' });
    expect(tokenRequests()).toBe(4);
  });

  it('never retries a 400 or a 401', async () => {
    for (const status of [400, 401]) {
      const { tokens, tokenRequests } = await through([{ status, body: { error: status === 400 ? 'invalid_request' : 'invalid_client', error_description: 'no' } }]);
      await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenRequestError);
      expect(tokenRequests()).toBe(1);
    }
  });

  it('retries network errors, then fails with network_error', async () => {
    const dead = await listen(() => undefined);
    const deadUrl = dead.url;
    await dead.close();
    const metadataServer = await listen((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ issuer: metadataServer.url, token_endpoint: `${deadUrl}/oauth/token` }));
    });
    servers.push(metadataServer);
    const counter = countingFetch();
    const tokens = createTokenClient({ issuer: metadataServer.url, ...client, fetch: counter.fetch, retry: quick });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 0, error: 'network_error' });
    expect(counter.count('/oauth/token')).toBe(4);
  });
});
