import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from './support/test-server.js';

describe('POST /oauth/token with client_credentials', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let twoServices: ProvisionedClient;
  const tokenUrl = (): string => `${server.url}/oauth/token`;

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'BILLING' });
    twoServices = await provisionClient(server.runtime, {
      acronym: 'DOCS',
      serviceKeys: { email: ['email:send', 'email:read'], docgen: ['docgen:render'] },
    });
  });
  afterAll(() => server.dispose());

  it('issues an RFC 9068 JWT with Basic authentication, uncacheable', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'email:send email:read' });
    const token = body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: server.url,
      sub: client.clientId,
      aud: 'urn:latchkey:service:email:dev',
      exp: expect.any(Number),
      iat: expect.any(Number),
      jti: expect.any(String),
      client_id: client.clientId,
      scope: 'email:send email:read',
      env: 'dev',
      app: 'BILLING',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('accepts client_secret_post', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(response.status).toBe(200);
  });

  it('narrows the token to a requested subset of the granted scopes', async () => {
    const claims = decodeJwt(await tokenFor(server, client, { scope: 'email:send' }));
    expect(claims.scope).toBe('email:send');
  });

  it('puts only the services a requested scope belongs to in aud', async () => {
    const all = decodeJwt(await tokenFor(server, twoServices));
    expect(all.aud).toEqual(['urn:latchkey:service:email:dev', 'urn:latchkey:service:docgen:dev']);
    const one = decodeJwt(await tokenFor(server, twoServices, { scope: 'docgen:render' }));
    expect(one.aud).toBe('urn:latchkey:service:docgen:dev');
  });

  it('limits aud to the RFC 8707 resource named', async () => {
    const claims = decodeJwt(await tokenFor(server, twoServices, { resource: 'urn:latchkey:service:docgen:dev' }));
    expect(claims.aud).toBe('urn:latchkey:service:docgen:dev');
    expect(claims.scope).toBe('docgen:render');
  });

  it('answers a scope string sent again with the same claims, and a refused one each time it is sent', async () => {
    const claimsOf = async (scope: string) => {
      const { iat: _iat, exp: _exp, jti, ...rest } = decodeJwt(await tokenFor(server, twoServices, { scope }));
      return { jti, rest };
    };
    // More distinct scope strings than a client's coverages are remembered for: each still right.
    const scopes = ['docgen:render', 'email:send', 'email:read', 'email:send email:read', 'email:read email:send', 'email:send docgen:render', 'docgen:render email:read', 'email:send  email:read', 'email:read docgen:render email:send', 'docgen:render email:send'];
    for (const scope of [...scopes, ...scopes]) {
      const first = await claimsOf(scope);
      const again = await claimsOf(scope);
      expect(again.rest).toEqual(first.rest);
      expect(again.jti).not.toBe(first.jti);
      const asked = [...new Set(scope.split(' ').filter(Boolean))];
      expect(first.rest.scope).toBe(asked.join(' '));
      const services = new Set(asked.map((s) => s.split(':')[0]));
      expect([first.rest.aud].flat().map((a) => String(a).split(':')[3])).toEqual(['email', 'docgen'].filter((k) => services.has(k)));
    }
    for (let i = 0; i < 2; i++) {
      const refused = await postForm(tokenUrl(), { grant_type: 'client_credentials', scope: 'email:send admin:all' }, { authorization: basic(twoServices.clientId, twoServices.clientSecret) });
      expect(refused.status).toBe(400);
    }
  });

  it('refuses a scope that was not granted with invalid_scope, naming it', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'client_credentials', scope: 'email:send admin:all' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_scope');
    expect(body.error_description).toContain('admin:all');
  });

  it('refuses a resource the client has no access to with invalid_target', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'client_credentials', resource: 'urn:latchkey:service:docgen:dev' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_target');
  });

  it('refuses an unsupported grant type', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'authorization_code', code: 'x' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('answers an unknown client and a wrong secret identically, after the same hashing work', async () => {
    const verify = vi.spyOn(server.runtime.serverKeys, 'verify');
    const unknown = await postForm(tokenUrl(), { grant_type: 'client_credentials' }, { authorization: basic('nobody-dev-000000000000', client.clientSecret) });
    const unknownCalls = verify.mock.calls.length;
    verify.mockClear();
    const wrong = await postForm(tokenUrl(), { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, `${client.clientSecret.slice(0, -1)}x`) });
    const wrongCalls = verify.mock.calls.length;
    verify.mockRestore();
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.text()).toBe(await wrong.text());
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
    expect(unknownCalls).toBe(1);
    expect(wrongCalls).toBe(1);
  });

  it('asks for authentication with WWW-Authenticate when none is given', async () => {
    const response = await postForm(tokenUrl(), { grant_type: 'client_credentials' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="latchkey"/);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('writes nothing while issuing: last-used times reach the database in the next batch', async () => {
    const fresh = await provisionClient(server.runtime, { acronym: 'USAGE' });
    await tokenFor(server, fresh);
    expect((await server.runtime.storage.clients.get(fresh.clientId))?.lastUsedAt).toBeNull();
    await server.runtime.flushUsage();
    const stored = await server.runtime.storage.clients.get(fresh.clientId);
    expect(stored?.lastUsedAt).toEqual(expect.any(Number));
    expect(stored?.secrets[0]?.lastUsedAt).toEqual(stored?.lastUsedAt);
  });

  it('counts tokens by grant and outcome in the Prometheus metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/latchkey_token_requests_total\{grant="client_credentials",outcome="success"\} \d+/);
    expect(text).toMatch(/latchkey_token_requests_total\{grant="client_credentials",outcome="invalid_client"\} \d+/);
    // Their duration is the token route's series of the request histogram.
    expect(text).toMatch(/latchkey_http_request_duration_seconds_count\{method="POST",route="\/oauth\/token"\} \d+/);
  });
});

describe('LATCHKEY_DIALECTS without oauth2', () => {
  it('does not mount POST /oauth/token, but keeps JWKS and metadata for the other dialects\' tokens', async () => {
    const server = await startTestServer({ env: { LATCHKEY_DIALECTS: 'token-api' } });
    try {
      expect((await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' })).status).toBe(404);
      expect((await fetch(`${server.url}/oauth/jwks`)).status).toBe(200);
      const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
      expect(metadata.grant_types_supported).toEqual([]);
    } finally {
      await server.dispose();
    }
  });
});
