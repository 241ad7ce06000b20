import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../support/test-server.js';

describe('the authenticate dialect: POST /api/auth/v1/authenticate', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let resourceServer: ProvisionedClient;

  const authenticate = (body: string, contentType = 'application/json'): Promise<Response> =>
    fetch(`${server.url}/api/auth/v1/authenticate`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const errorOf = async (response: Response): Promise<[number, { status: number; message: string; fields?: { field: string }[] }]> => [
    response.status,
    (await response.json()) as { status: number; message: string; fields?: { field: string }[] },
  ];

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'BANK' });
    resourceServer = await provisionClient(server.runtime, { acronym: 'RS' });
  });
  afterAll(() => server?.dispose());

  it('answers the documented request with {accessToken, tokenType, expirationTime (epoch ms), tokenValiditySec}', async () => {
    const before = Date.now();
    const response = await authenticate(`{\n  "clientId": "${client.clientId}",\n  "clientSecret": "${client.clientSecret}"\n}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string; tokenType: string; expirationTime: number; tokenValiditySec: number };
    expect(Object.keys(body)).toEqual(['accessToken', 'tokenType', 'expirationTime', 'tokenValiditySec']);
    expect(body.tokenType).toBe('Bearer');
    expect(body.tokenValiditySec).toBe(600);
    expect(body.expirationTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(body.expirationTime).toBeLessThanOrEqual(Date.now() + 600_000);
    const introspection = await postForm(`${server.url}/oauth/introspect`, { token: body.accessToken }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: client.clientId, app: 'BANK' });
  });

  it('names the field in a 400 for malformed JSON, a missing field, a non-string or an over-long one', async () => {
    const [malformed, m] = await errorOf(await authenticate('{"clientId": '));
    expect([malformed, m.fields]).toEqual([400, [{ field: 'body', message: 'malformed JSON' }]]);
    const [missing, body] = await errorOf(await authenticate(JSON.stringify({ clientId: client.clientId })));
    expect([missing, body.status]).toEqual([400, 400]);
    expect(body.message).toMatch(/^clientSecret required/);
    const [long, l] = await errorOf(await authenticate(JSON.stringify({ clientId: 'x'.repeat(101), clientSecret: client.clientSecret })));
    expect([long, l.fields]).toEqual([400, [{ field: 'clientId', message: 'must be at most 100 characters' }]]);
    const [typed, t] = await errorOf(await authenticate(JSON.stringify({ clientId: 5, clientSecret: ['x'] })));
    expect([typed, t.fields?.map((f) => f.field)]).toEqual([400, ['clientId', 'clientSecret']]);
    const [array] = await errorOf(await authenticate('[]'));
    expect(array).toBe(400);
    const [empty] = await errorOf(await authenticate(''));
    expect(empty).toBe(400);
  });

  it('answers a bad secret or an unknown client with the same 401', async () => {
    const [wrong, a] = await errorOf(await authenticate(JSON.stringify({ clientId: client.clientId, clientSecret: 'lks_wrong' })));
    const [unknown, b] = await errorOf(await authenticate(JSON.stringify({ clientId: 'no-such-client', clientSecret: client.clientSecret })));
    expect([wrong, unknown]).toEqual([401, 401]);
    expect(a).toEqual(b);
  });
});
