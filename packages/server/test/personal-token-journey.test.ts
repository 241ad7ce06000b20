import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { inDays } from './support/personal-tokens.js';

// The whole journey as an outside script sees it: everything through public interfaces (HTTP and the CLI).
describe('personal access tokens, end to end through public interfaces only', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server.dispose());

  it('sign up, get pat mid-session, create, generate, regenerate, verify, revoke, lose the role, read the audit log', async () => {
    const email = `journey-${Date.now()}@example.org`;
    const password = 'a sufficiently long passphrase';
    expect((await api(server, 'POST', '/users', { body: { email, password, name: 'Journey' } })).status).toBeLessThan(300);
    const user = await logIn(server, email, password);
    const admin = await logIn(server, ADMIN.email, ADMIN.password);
    const me = await api<{ user: { id: string; roles: string[] } }>(server, 'GET', '/session', { cookie: user });
    expect(me.body.user.roles).toStrictEqual([]);
    const userId = me.body.user.id;

    // A resource server's introspection client, from the shell.
    expect((await server.cli(['service', 'create', '--key', 'docs', '--name', 'Docs', '--scopes', 'docs:read,docs:write'])).code).toBe(0);
    expect((await server.cli(['app', 'create', '--acronym', 'RS', '--name', 'Resource server'])).code).toBe(0);
    const client = (await server.cli(['client', 'create', '--app', 'RS', '--env', 'dev', '--service', 'docs'])).json as { client_id: string; client_secret: string };
    // The user's own team holds docs in DEV: that is what a personal token of theirs may carry.
    expect((await api(server, 'POST', '/applications', { cookie: user, body: { acronym: 'JRN', name: 'Journey team' } })).status).toBe(201);
    expect((await api(server, 'POST', '/applications/JRN/approval', { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    expect((await api(server, 'POST', '/applications/JRN/environments/dev', { cookie: user, body: { services: [{ key: 'docs' }] } })).status).toBe(201);
    const introspect = async (token: string) =>
      ((await (await postForm(`${server.url}/oauth/introspect`, { token }, { authorization: basic(client.client_id, client.client_secret) })).json()) as { active: boolean }).active;

    expect((await api(server, 'POST', '/me/tokens', { cookie: user, body: { name: 'ci', expires_at: inDays(30) } })).status).toBe(403);
    expect((await api(server, 'PUT', `/users/${userId}/roles`, { cookie: admin, body: { roles: ['pat'] } })).status).toBe(200);
    const created = await api<{ id: string; scopes: string[] }>(server, 'POST', '/me/tokens', { cookie: user, body: { name: 'ci', expires_at: inDays(30) } });
    expect(created.status).toBe(201);
    expect(created.body.scopes.sort()).toStrictEqual(['docs:read', 'portal:read']);

    const first = await api<{ token: string }>(server, 'POST', `/me/tokens/${created.body.id}/generate`, { cookie: user });
    const second = await api<{ token: string }>(server, 'POST', `/me/tokens/${created.body.id}/generate`, { cookie: user });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const { payload } = await jwtVerify(second.body.token, jwks, { issuer: server.runtime.config.issuer, audience: 'urn:latchkey:service:docs:dev', typ: 'at+jwt' });
    expect(payload.sub).toBe(userId);
    expect(payload.aud).toStrictEqual([server.runtime.config.issuer, 'urn:latchkey:service:docs:dev']);
    expect(await introspect(first.body.token)).toBe(false);
    expect(await introspect(second.body.token)).toBe(true);

    expect((await api(server, 'PUT', `/users/${userId}/roles`, { cookie: admin, body: { roles: [] } })).status).toBe(200);
    expect(await introspect(second.body.token)).toBe(false);
    expect((await api(server, 'PUT', `/users/${userId}/roles`, { cookie: admin, body: { roles: ['pat'] } })).status).toBe(200);
    expect(await introspect(second.body.token)).toBe(true);
    expect((await api(server, 'DELETE', `/tokens/${created.body.id}`, { cookie: admin })).status).toBe(200);
    expect(await introspect(second.body.token)).toBe(false);

    const audit = await api<{ items: { action: string; target: string }[] }>(server, 'GET', '/audit?limit=200', { cookie: admin });
    const trail = audit.body.items.filter((e) => e.target === `personal_token:${created.body.id}` || e.target === `user:${userId}`).map((e) => e.action);
    expect(trail).toEqual(
      expect.arrayContaining(['personal_token.created', 'personal_token.generated', 'personal_token.revoked', 'user.role_granted', 'user.role_removed']),
    );
  });
});
