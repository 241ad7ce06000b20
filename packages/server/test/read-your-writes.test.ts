import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { basic, postForm, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { userLoggedIn, type LoggedIn } from './support/team-users.js';
import { personalToken } from './support/personal-tokens.js';

const backends = await storageBackends('read your own writes');

/** Holds within `ms`, polling: what another instance must reach within 1 s of the acknowledgement. */
async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Every write the portal API (or the CLI) acknowledges must hold on the very next request to the instance
// that answered it, with no window at all, and on every other instance within 1 s. Instance A polls the
// change log only every minute, so nothing here passes by luck of timing: A must catch up before it
// answers. B polls at the default 250 ms (SQLite) or is woken by NOTIFY (PostgreSQL).
describe.each(backends)('a change acknowledged holds on the next request ($name)', (backend) => {
  let a: TestServer;
  let b: TestServer;
  let database: FreshDatabase;
  let admin: string;
  let ada: LoggedIn;
  let resourceServer: ProvisionedClient;

  const tokenStatus = async (server: TestServer, client: ProvisionedClient, form: Record<string, string> = {}): Promise<number> =>
    (await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials', ...form }, { authorization: basic(client.clientId, client.clientSecret) })).status;
  const tokenOf = async (server: TestServer, client: ProvisionedClient): Promise<string> => {
    const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.clientSecret) });
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const active = async (server: TestServer, token: string): Promise<boolean> => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    return ((await response.json()) as { active: boolean }).active;
  };

  /** A service made by the administrator, and a DEV credential for it registered by Ada through the API. */
  async function credential(scopes: string[] = ['x:read', 'x:write'], serviceKeys: string[] = []): Promise<ProvisionedClient & { acronym: string; key: string }> {
    const key = `svc${randomUUID().slice(0, 6)}`;
    for (const k of [key, ...serviceKeys]) {
      const created = await api(a, 'POST', '/services', { cookie: admin, body: { key: k, name: k, scopes: scopes.map((name) => ({ name, description: '' })) } });
      expect(created.status).toBe(201);
    }
    const acronym = `RYW${randomUUID().slice(0, 5).toUpperCase()}`;
    expect((await api(a, 'POST', '/applications', { cookie: ada.cookie, body: { acronym } })).status).toBe(201);
    expect((await api(a, 'POST', `/applications/${acronym}/approval`, { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    const registered = await api<{ client_id: string; client_secret: string }>(a, 'POST', `/applications/${acronym}/environments/dev`, {
      cookie: ada.cookie,
      body: { services: [key, ...serviceKeys].map((k) => ({ key: k })) },
    });
    expect(registered.status).toBe(201);
    return { clientId: registered.body.client_id, clientSecret: registered.body.client_secret, acronym, key };
  }

  beforeAll(async () => {
    if (backend.skip) return;
    database = await backend.fresh();
    a = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_DATABASE_URL: database.url, LATCHKEY_CHANGE_POLL_MS: '60000' } });
    b = await startTestServer({ shareWith: a, env: { LATCHKEY_CHANGE_POLL_MS: '250' } });
    admin = await logIn(a, ADMIN.email, ADMIN.password);
    ada = await userLoggedIn(a, 'Ada');
    resourceServer = await credential();
  });
  afterAll(async () => {
    if (backend.skip) return;
    await b.dispose();
    await a.dispose();
    await database.drop();
  });

  it.skipIf(backend.skip)('a regenerated secret: the old one stops and the new one works on the next request, round after round', async () => {
    let client = await credential();
    for (let round = 0; round < 15; round++) {
      // The old secret was just used on both instances: both have the client cached.
      expect(await tokenStatus(a, client)).toBe(200);
      expect(await tokenStatus(b, client)).toBe(200);
      const regenerated = await api<{ client_secret: string }>(a, 'POST', `/applications/${client.acronym}/environments/dev/secret`, { cookie: ada.cookie });
      expect(regenerated.status).toBe(200);
      const next = { ...client, clientSecret: regenerated.body.client_secret };
      expect(await tokenStatus(a, client), `round ${round}: the old secret after the 200`).toBe(401);
      expect(await tokenStatus(a, next), `round ${round}: the new secret after the 200`).toBe(200);
      await within(1_000, async () => (await tokenStatus(b, client)) === 401 && (await tokenStatus(b, next)) === 200);
      client = next;
    }
  });

  it.skipIf(backend.skip)('a scope taken from a service is refused at once', async () => {
    const client = await credential();
    expect(await tokenStatus(a, client, { scope: 'x:write' })).toBe(200);
    expect(await tokenStatus(b, client, { scope: 'x:write' })).toBe(200);
    const edited = await api(a, 'PATCH', `/services/${client.key}`, { cookie: admin, body: { scopes: [{ name: 'x:read', description: '' }] } });
    expect(edited.status).toBe(200);
    expect(await tokenStatus(a, client, { scope: 'x:write' })).toBe(400);
    expect(await tokenStatus(a, client, { scope: 'x:read' })).toBe(200);
    await within(1_000, async () => (await tokenStatus(b, client, { scope: 'x:write' })) === 400);
  });

  it.skipIf(backend.skip)('a retired service drops out of new tokens at once', async () => {
    const other = `oth${randomUUID().slice(0, 6)}`;
    const client = await credential(['x:read'], [other]);
    const audiences = async (server: TestServer): Promise<string[]> => [decodeJwt(await tokenOf(server, client)).aud].flat() as string[];
    expect(await audiences(a)).toHaveLength(2);
    expect(await audiences(b)).toHaveLength(2);
    expect((await api(a, 'DELETE', `/services/${other}`, { cookie: admin })).status).toBe(200);
    expect(await audiences(a)).toEqual([`urn:latchkey:service:${client.key}:dev`]);
    await within(1_000, async () => (await audiences(b)).length === 1);
  });

  it.skipIf(backend.skip)('a revoked token is inactive at introspection at once, on every instance within 1 s', async () => {
    const client = await credential();
    const token = await tokenOf(a, client);
    expect(await active(a, token)).toBe(true);
    expect(await active(b, token)).toBe(true);
    const revoked = await postForm(`${a.url}/oauth/revoke`, { token }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(revoked.status).toBe(200);
    expect(await active(a, token)).toBe(false);
    await within(1_000, async () => !(await active(b, token)));
  });

  it.skipIf(backend.skip)('a role taken away, a personal token deleted or revoked by a token administrator: refused at once', async () => {
    const bearerStatus = async (server: TestServer, token: string): Promise<number> => (await api(server, 'GET', '/session', { bearer: token })).status;
    expect((await api(a, 'PUT', `/users/${ada.user.id}/roles`, { cookie: admin, body: { roles: ['pat', 'token_admin'] } })).status).toBe(200);
    const owner = { id: ada.user.id, email: ada.user.email, cookie: ada.cookie };
    // The role granted holds on the next request: Ada can create tokens at once.
    const [first, second, third] = [await personalToken(a, owner), await personalToken(a, owner), await personalToken(a, owner)];
    for (const { token } of [first, second, third]) {
      expect(await bearerStatus(a, token)).toBe(200);
      expect(await bearerStatus(b, token)).toBe(200);
    }
    expect((await api(a, 'DELETE', `/me/tokens/${first.record.id}`, { cookie: ada.cookie })).status).toBe(204);
    expect(await active(a, first.token)).toBe(false);
    expect(await bearerStatus(a, first.token)).toBe(401);
    await within(1_000, async () => !(await active(b, first.token)) && (await bearerStatus(b, first.token)) === 401);

    expect((await api(a, 'DELETE', `/tokens/${second.record.id}`, { cookie: ada.cookie })).status).toBe(200);
    expect(await active(a, second.token)).toBe(false);
    await within(1_000, async () => !(await active(b, second.token)));

    expect((await api(a, 'PUT', `/users/${ada.user.id}/roles`, { cookie: admin, body: { roles: [] } })).status).toBe(200);
    expect(await active(a, third.token)).toBe(false);
    expect(await bearerStatus(a, third.token)).toBe(401);
    await within(1_000, async () => (await bearerStatus(b, third.token)) === 401);
  });

  it.skipIf(backend.skip)('an approval holds at once: the requester registers DEV on the next request', async () => {
    const acronym = `APR${randomUUID().slice(0, 5).toUpperCase()}`;
    expect((await api(a, 'POST', '/applications', { cookie: ada.cookie, body: { acronym } })).status).toBe(201);
    const register = (server: TestServer): Promise<{ status: number }> =>
      api(server, 'POST', `/applications/${acronym}/environments/dev`, { cookie: ada.cookie, body: { services: [] } });
    expect((await api(b, 'GET', `/applications/${acronym}`, { cookie: ada.cookie })).status).toBe(200);
    expect((await api(a, 'POST', `/applications/${acronym}/approval`, { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    expect((await register(b)).status).not.toBe(409);
  });

  it.skipIf(backend.skip)('a disabled user is refused at once', async () => {
    const eve = await userLoggedIn(a, 'Eve');
    expect((await api(b, 'GET', '/session', { cookie: eve.cookie })).status).toBe(200);
    expect((await api(a, 'PUT', `/users/${eve.user.id}/disabled`, { cookie: admin, body: { disabled: true } })).status).toBe(200);
    expect((await api(a, 'GET', '/session', { cookie: eve.cookie })).status).toBe(401);
    await within(1_000, async () => (await api(b, 'GET', '/session', { cookie: eve.cookie })).status === 401);
  });

  it.skipIf(backend.skip)('the CLI: a client disabled, enabled, a key rotated reach the running server within 1 s', async () => {
    const client = await credential();
    expect(await tokenStatus(b, client)).toBe(200);
    expect((await b.cli(['client', 'disable', client.clientId])).code).toBe(0);
    await within(1_000, async () => (await tokenStatus(b, client)) === 401);
    expect((await b.cli(['client', 'enable', client.clientId])).code).toBe(0);
    await within(1_000, async () => (await tokenStatus(b, client)) === 200);

    const before = decodeProtectedHeader(await tokenOf(b, client)).kid;
    expect((await b.cli(['keys', 'rotate', '--now'])).code).toBe(0);
    await within(1_000, async () => decodeProtectedHeader(await tokenOf(b, client)).kid !== before);
  });
});
