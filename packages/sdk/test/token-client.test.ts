import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createTokenClient, TokenRequestError } from '../src/index.js';
import { countingFetch, listen, readBody } from './support.js';

describe('createTokenClient against Latchkey', () => {
  let server: TestServer;
  let client: ProvisionedClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'SDKTC' });
  });
  afterAll(() => server.dispose());

  const newClient = (extra: Partial<Parameters<typeof createTokenClient>[0]> = {}) => {
    const counter = countingFetch();
    const tokens = createTokenClient({ issuer: server.url, ...client, fetch: counter.fetch, ...extra });
    return { tokens, count: counter.count };
  };

  it('gets a client-credentials token through discovery and caches it', async () => {
    const { tokens, count } = newClient({ scope: ['email:send'] });
    const first = await tokens.getToken();
    const claims = decodeJwt(first);
    expect(claims).toMatchObject({ iss: server.url, client_id: client.clientId, scope: 'email:send' });
    expect(await tokens.getToken()).toBe(first);
    expect(count('/.well-known/oauth-authorization-server')).toBe(1);
    expect(count('/oauth/token')).toBe(1);
    tokens.close();
    await expect(tokens.getToken()).rejects.toThrow(/closed/);
  });

  it('makes one token request for 10,000 concurrent getToken() calls', async () => {
    const { tokens, count } = newClient();
    const all = await Promise.all(Array.from({ length: 10_000 }, () => tokens.getToken()));
    expect(new Set(all).size).toBe(1);
    expect(count('/oauth/token')).toBe(1);
    expect(count('/.well-known/oauth-authorization-server')).toBe(1);
    tokens.close();
  });

  it('form-urlencodes id and secret in HTTP Basic (RFC 6749 §2.3.1), which Latchkey decodes', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization') ?? '');
      return fetch(input, init);
    };
    const tokens = createTokenClient({ issuer: server.url, clientId: client.clientId, clientSecret: client.clientSecret, fetch: spy });
    await tokens.getToken();
    const decoded = Buffer.from(seen.at(-1)!.replace(/^Basic /, ''), 'base64').toString();
    expect(decoded).toBe(`${new URLSearchParams({ v: client.clientId }).toString().slice(2)}:${new URLSearchParams({ v: client.clientSecret }).toString().slice(2)}`);
    tokens.close();
  });

  it('surfaces invalid_client on a wrong secret, with one request (a 401 is never retried)', async () => {
    const { tokens, count } = newClient({ clientSecret: 'wrong', retry: { attempts: 5, baseDelayMs: 1 } });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
    expect((error as TokenRequestError).errorDescription).toEqual(expect.any(String));
    expect(count('/oauth/token')).toBe(1);
  });

  it('surfaces the server error_description of a 400 (invalid_scope), not retried', async () => {
    const { tokens, count } = newClient({ scope: 'nope:nothing', retry: { attempts: 5, baseDelayMs: 1 } });
    const error = (await tokens.getToken().catch((e: unknown) => e)) as TokenRequestError;
    expect(error).toMatchObject({ status: 400, error: 'invalid_scope' });
    expect(error.errorDescription).toMatch(/nope:nothing/);
    expect(error.message).toContain(error.errorDescription);
    expect(count('/oauth/token')).toBe(1);
  });

  it('fetch() adds the bearer token and, on a 401, retries once with a fresh token', async () => {
    let refused: string | undefined;
    const seen: { authorization: string | undefined; body: string }[] = [];
    const resource = await listen(async (request, response) => {
      const authorization = request.headers.authorization;
      seen.push({ authorization, body: await readBody(request) });
      refused ??= authorization;
      if (authorization === refused || request.url === '/stream') {
        response.statusCode = 401;
        response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        return response.end();
      }
      response.end('ok');
    });
    const { tokens, count } = newClient();
    const response = await tokens.fetch(`${resource.url}/send`, { method: 'POST', body: 'hello', headers: { 'x-kept': '1' } });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.authorization).toMatch(/^Bearer /);
    expect(seen[1]!.authorization).not.toBe(seen[0]!.authorization);
    expect(seen[1]!.body).toBe('hello');
    expect(count('/oauth/token')).toBe(2);

    // A stream body cannot be sent twice: the 401 is handed back.
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) });
    const streamed = await tokens.fetch(`${resource.url}/stream`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(401);
    expect(seen).toHaveLength(3);
    tokens.close();
    await resource.close();
  });
});
