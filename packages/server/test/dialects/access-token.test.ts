import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_POLICY } from '../../src/domain/users/login-throttle.js';
import { requestFrom } from '../support/from-address.js';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../support/test-server.js';

describe('the access-token dialect: POST /api/v1/access-token', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let resourceServer: ProvisionedClient;

  const postJson = (body: unknown): Promise<Response> =>
    fetch(`${server.url}/api/v1/access-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const outcome = async (response: Response): Promise<[number, string]> => [response.status, ((await response.json()) as { error: string }).error];

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'DLAT', serviceKeys: { webhooks: ['webhooks:read', 'webhooks:write'] } });
    resourceServer = await provisionClient(server.runtime, { acronym: 'RS' });
  });
  afterAll(() => server?.dispose());

  it('answers JSON (the default) and form bodies with {access_token, token_type, expires_in, scope}; the token is active', async () => {
    const json = await postJson({ client_id: client.clientId, client_secret: client.clientSecret, scope: 'webhooks:read', other: 'ignored' });
    expect(json.status).toBe(200);
    const body = (await json.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'webhooks:read' });
    const introspection = await postForm(`${server.url}/oauth/introspect`, { token: body.access_token as string }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: client.clientId, scope: 'webhooks:read' });
    const form = await postForm(`${server.url}/api/v1/access-token`, { client_id: client.clientId, client_secret: client.clientSecret });
    expect(form.status).toBe(200);
    expect(((await form.json()) as { scope: string }).scope).toBe('webhooks:read webhooks:write');
  });

  it('uses its documented codes: 400 invalid scope, 401 bad credentials, 404 unknown client_id, 412 validation errors', async () => {
    expect(await outcome(await postJson({ client_id: client.clientId, client_secret: client.clientSecret, scope: 'email:send' }))).toEqual([400, 'invalid_scope']);
    expect(await outcome(await postJson({ client_id: client.clientId, client_secret: 'lks_wrong' }))).toEqual([401, 'invalid_credentials']);
    expect(await outcome(await postJson({ client_id: 'no-such-client', client_secret: 'x' }))).toEqual([404, 'client_not_found']);
    const missing = await postJson({ client_id: client.clientId });
    expect(missing.status).toBe(412);
    expect(await missing.json()).toMatchObject({ error: 'validation_error', fields: [{ field: 'client_secret', message: 'required' }] });
    expect(await outcome(await postJson({ client_id: 7, client_secret: 'x' }))).toEqual([412, 'validation_error']);
    const malformed = await fetch(`${server.url}/api/v1/access-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(await outcome(malformed)).toEqual([412, 'validation_error']);
  });

  it('rate limits an address that keeps failing, since the 404 reveals which client ids exist', async () => {
    const probe = (i: number) =>
      requestFrom('127.0.0.3', `${server.url}/api/v1/access-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: `guess-${i}`, client_secret: 'x' }) });
    const statuses: number[] = [];
    for (let i = 0; i <= DEFAULT_THROTTLE_POLICY.address.free; i++) statuses.push((await probe(i)).status);
    expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
    const refused = await probe(999);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'too_many_requests' });
    // Other addresses are not affected.
    expect((await postJson({ client_id: client.clientId, client_secret: client.clientSecret })).status).toBe(200);
  });
});
