import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/domain/users/user.js';
import { DEFAULT_THROTTLE_POLICY } from '../src/domain/users/login-throttle.js';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { claimsOf, provisionUser, USER_PASSWORD } from './support/users.js';
import { requestFrom } from './support/from-address.js';

describe('grant_type=password on /oauth/token (RFC 6749 §4.3)', () => {
  let server: TestServer;
  let user: User;
  let client: ProvisionedClient;
  let resourceServer: ProvisionedClient;

  const token = (form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
    postForm(`${server.url}/oauth/token`, { grant_type: 'password', ...form }, headers);
  const introspect = async (accessToken: string): Promise<Record<string, unknown>> => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token: accessToken }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    server = await startTestServer();
    user = await provisionUser(server.runtime, { email: 'ada@example.org', roles: ['pat', 'token_admin'] });
    client = await provisionClient(server.runtime, { acronym: 'BILLING' });
    resourceServer = await provisionClient(server.runtime, { acronym: 'EMAILRS' });
  });
  afterAll(() => server?.dispose());

  it('lists the password grant in the server metadata', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toEqual(['client_credentials', 'password']);
  });

  it('issues a first-party token without client authentication: sub is the user, with roles, aud the issuer, one hour', async () => {
    const response = await token({ username: 'ADA@example.org', password: USER_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: '' });
    expect(claimsOf(body.access_token)).toMatchObject({ sub: user.id, roles: ['pat', 'token_admin'], aud: server.url, client_id: 'latchkey-password', iss: server.url });
    expect(await introspect(body.access_token)).toMatchObject({ active: true, sub: user.id, roles: ['pat', 'token_admin'] });
  });

  it('through an authenticated client, covers that client’s audiences and scopes', async () => {
    const response = await token({ username: 'ada@example.org', password: USER_PASSWORD, scope: 'email:send' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; scope: string };
    expect(body.scope).toBe('email:send');
    expect(claimsOf(body.access_token)).toMatchObject({ sub: user.id, client_id: client.clientId, aud: 'urn:latchkey:service:email:dev', env: 'dev', app: 'BILLING', roles: ['pat', 'token_admin'] });
    expect((await introspect(body.access_token)).active).toBe(true);
  });

  it('reports the user’s roles as they are now at introspection, and the token inactive once the user is disabled', async () => {
    const someone = await provisionUser(server.runtime, { email: 'roles@example.org', roles: ['pat'] });
    const body = (await (await token({ username: someone.email, password: USER_PASSWORD })).json()) as { access_token: string };
    await server.runtime.storage.users.setRoles(someone.id, ['pat', 'token_admin']);
    expect(await introspect(body.access_token)).toMatchObject({ active: true, roles: ['pat', 'token_admin'] });
    await server.runtime.storage.users.setDisabled(someone.id, Date.now());
    expect(await introspect(body.access_token)).toEqual({ active: false });
  });

  it('answers a wrong password and an unknown user identically; a bad client is invalid_client', async () => {
    const wrong = await token({ username: 'ada@example.org', password: 'not it' });
    const unknown = await token({ username: 'nobody@example.org', password: USER_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual({ error: 'invalid_grant', error_description: 'the email or password is wrong' });
    expect(b).toEqual(a);
    const badClient = await token({ username: 'ada@example.org', password: USER_PASSWORD }, { authorization: basic(client.clientId, 'lks_wrong') });
    expect(badClient.status).toBe(401);
    expect(((await badClient.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('refuses scopes without a client, and missing parameters, naming what to send', async () => {
    const scoped = await token({ username: 'ada@example.org', password: USER_PASSWORD, scope: 'email:send' });
    expect(scoped.status).toBe(400);
    expect(((await scoped.json()) as { error: string }).error).toBe('invalid_scope');
    const missing = await token({ username: 'ada@example.org' });
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'parameter "password" is required' });
  });

  it('slows repeated failures with 429 and Retry-After and audits them, yet lets the owner in from their own address', async () => {
    const victim = await provisionUser(server.runtime, { email: 'grace@example.org' });
    let last: Response | null = null;
    for (let i = 0; i <= DEFAULT_THROTTLE_POLICY.pair.free; i++) last = await token({ username: victim.email, password: `guess ${i}` });
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last?.json()) as { error_description: string }).error_description).toMatch(/too many failed attempts; try again in/);
    await server.runtime.settleDeferred();
    const audit = await server.runtime.storage.audit.list({ limit: 20 });
    expect(audit.filter((e) => e.action === 'user.login_failed' && e.target === `user:${victim.id}` && e.address === '127.0.0.1')).toHaveLength(DEFAULT_THROTTLE_POLICY.pair.free);
    const owner = await requestFrom('127.0.0.2', `${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: victim.email, password: USER_PASSWORD }).toString(),
    });
    expect(owner.status).toBe(200);
    expect(claimsOf((JSON.parse(owner.body) as { access_token: string }).access_token).sub).toBe(victim.id);
  });
});
