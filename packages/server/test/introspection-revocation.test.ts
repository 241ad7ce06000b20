import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from './support/test-server.js';

describe('introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let resourceServer: ProvisionedClient;

  const introspect = async (token: string, caller = resourceServer): Promise<Record<string, unknown>> => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token }, { authorization: basic(caller.clientId, caller.clientSecret) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as Record<string, unknown>;
  };
  const revoke = (token: string, caller: ProvisionedClient): Promise<Response> =>
    postForm(`${server.url}/oauth/revoke`, { token, token_type_hint: 'access_token' }, { authorization: basic(caller.clientId, caller.clientSecret) });

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'BILLING' });
    resourceServer = await provisionClient(server.runtime, { acronym: 'EMAILRS' });
  });
  afterAll(() => server.dispose());

  it('reports a fresh token active with its claims', async () => {
    const result = await introspect(await tokenFor(server, client));
    expect(result).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: client.clientId,
      sub: client.clientId,
      iss: server.url,
      aud: 'urn:latchkey:service:email:dev',
      scope: 'email:send email:read',
      env: 'dev',
      app: 'BILLING',
    });
  });

  it('reports garbage, a tampered token and a foreign token as just inactive', async () => {
    const token = await tokenFor(server, client);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'admin' })).toString('base64url')}.${signature}`;
    for (const bad of ['garbage', tampered, `${header}.${payload}.`, 'eyJhbGciOiJub25lIn0.e30.']) {
      expect(await introspect(bad)).toEqual({ active: false });
    }
  });

  it('requires the caller to authenticate as a client', async () => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token: await tokenFor(server, client) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('answers 200 to revocation of anything, and revokes only the caller\'s own tokens', async () => {
    expect((await revoke('not-a-token', client)).status).toBe(200);
    const token = await tokenFor(server, client);
    expect((await revoke(token, resourceServer)).status).toBe(200);
    expect((await introspect(token)).active).toBe(true);
    const response = await revoke(token, client);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(await introspect(token)).toEqual({ active: false });
  });

  it('keeps a revocation across a restart (it is stored, not only cached)', async () => {
    const token = await tokenFor(server, client);
    await revoke(token, client);
    const second = await startTestServer({ shareWith: server });
    try {
      const response = await postForm(`${second.url}/oauth/introspect`, { token }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
      expect(await response.json()).toEqual({ active: false });
    } finally {
      await second.dispose();
    }
  });

  it('reports tokens of a disabled client inactive, and refuses it new ones', async () => {
    const victim = await provisionClient(server.runtime, { acronym: 'DISABLED' });
    const token = await tokenFor(server, victim);
    const result = await server.cli(['client', 'disable', victim.clientId]);
    expect(result.code).toBe(0);
    await server.runtime.syncChanges();
    expect(await introspect(token)).toEqual({ active: false });
    const refused = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(victim.clientId, victim.clientSecret) });
    expect(refused.status).toBe(401);
  });
});
