import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import type { Problem } from './support/portal-client.js';


describe('portal sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server.dispose());

  it('logs in with a HttpOnly, SameSite=Lax session cookie and answers who is logged in, with roles', async () => {
    const login = await api<{ user: { email: string; roles: string[] } }>(server, 'POST', '/session', { body: ADMIN });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^latchkey_session=[\w-]{22}\.[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // the test issuer is http://127.0.0.1
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await api<{ user: { email: string; roles: string[] }; via: string }>(server, 'GET', '/session', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(ADMIN.email);
    expect(me.body.user.roles).toEqual(['admin', 'token_admin', 'pat']);
    expect(me.body.via).toBe('session');
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a wrong password and an unknown email alike, as a 401 problem', async () => {
    const wrong = await api<Problem>(server, 'POST', '/session', { body: { email: ADMIN.email, password: 'not the password' } });
    const unknown = await api<Problem>(server, 'POST', '/session', { body: { email: 'nobody@example.org', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('ends the session on log-out: the cookie no longer works', async () => {
    const cookie = await logIn(server, ADMIN.email, ADMIN.password);
    const out = await api(server, 'DELETE', '/session', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/latchkey_session=;/);
    const after = await api<Problem>(server, 'GET', '/session', { cookie });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(after.body.detail).toMatch(/log in/);
  });

  it('replaces the session a browser held when it logs in again', async () => {
    const old = await logIn(server, ADMIN.email, ADMIN.password);
    const again = await api(server, 'POST', '/session', { cookie: old, body: ADMIN });
    expect(again.status).toBe(200);
    expect((await api(server, 'GET', '/session', { cookie: old })).status).toBe(401);
    const fresh = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api(server, 'GET', '/session', { cookie: fresh })).status).toBe(200);
  });

  it('lets an administrator end every session of a user', async () => {
    const first = await logIn(server, ADMIN.email, ADMIN.password);
    const second = await logIn(server, ADMIN.email, ADMIN.password);
    const me = await api<{ user: { id: string } }>(server, 'GET', '/session', { cookie: first });
    const ended = await api<{ ended: number }>(server, 'DELETE', `/users/${me.body.user.id}/sessions`, { cookie: first });
    expect(ended.status).toBe(200);
    expect(ended.body.ended).toBeGreaterThanOrEqual(2);
    expect((await api(server, 'GET', '/session', { cookie: second })).status).toBe(401);
  });

  it('refuses a tampered cookie and an invalid bearer token with 401', async () => {
    const cookie = await logIn(server, ADMIN.email, ADMIN.password);
    const tampered = cookie.slice(0, -2) + (cookie.endsWith('AA') ? 'BB' : 'AA');
    expect((await api(server, 'GET', '/session', { cookie: tampered })).status).toBe(401);
    const bearer = await api<Problem>(server, 'GET', '/session', { bearer: 'not-a-token' });
    expect(bearer.status).toBe(401);
    expect(bearer.body.detail).toMatch(/bearer token/);
  });
});

describe('the portal scope', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server.dispose());

  it('lists the offending fields of an invalid body in a 400 problem', async () => {
    const response = await api<Problem>(server, 'POST', '/session', { body: { email: '' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:latchkey:problem:bad_request', status: 400, title: expect.any(String) });
    expect(response.body.fields?.map((f) => f.field).sort()).toEqual(['email', 'password']);
    expect(response.body.detail).toMatch(/password is required/);
  });

  it('answers malformed JSON, a missing body and a wrong content type with 4xx problems, never a stack', async () => {
    const bad = await api<Problem>(server, 'POST', '/session', { body: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js:\d+/);
    const none = await api<Problem>(server, 'POST', '/session');
    expect(none.status).toBe(400);
    const text = await api<Problem>(server, 'POST', '/session', { body: 'email=a', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers an unknown portal route with a 404 problem', async () => {
    const response = await api<Problem>(server, 'GET', '/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body.type).toBe('urn:latchkey:problem:not_found');
  });

  it("leaves the access-token dialect's POST /api/v1/access-token to its own errors (not the portal's)", async () => {
    const response = await api(server, 'POST', '/access-token', { body: {}, headers: { origin: 'https://elsewhere.example' } });
    expect(response.status).not.toBe(404);
    expect(response.status).not.toBe(403);
    expect(response.headers.get('content-type')).not.toMatch(/problem\+json/);
  });

  it('refuses unsafe requests from another site (Sec-Fetch-Site, Origin), cookie or not', async () => {
    const cookie = await logIn(server, ADMIN.email, ADMIN.password);
    const crossSite = await api<Problem>(server, 'DELETE', '/session', { cookie, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const foreign = await api<Problem>(server, 'DELETE', '/session', { cookie, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toMatch(/evil\.example/);
    const loginCsrf = await api(server, 'POST', '/session', { body: ADMIN, headers: { origin: 'https://evil.example' } });
    expect(loginCsrf.status).toBe(403);
    // Reading is allowed cross-site (nothing changes; the response is not readable cross-origin anyway).
    expect((await api(server, 'GET', '/session', { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    // The same origin passes.
    const same = await api(server, 'DELETE', '/session', { cookie, headers: { origin: server.env.LATCHKEY_ISSUER ?? '', 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(204);
  });
});

describe('the session cookie behind https', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_ISSUER: 'https://latchkey.example.org' } });
  });
  afterAll(() => server.dispose());

  it('is Secure and __Host- prefixed when the issuer is https, and the guard compares with that origin', async () => {
    const login = await api(server, 'POST', '/session', { body: ADMIN, headers: { origin: 'https://latchkey.example.org' } });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-latchkey_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect((await api(server, 'POST', '/session', { body: ADMIN, headers: { origin: 'http://latchkey.example.org' } })).status).toBe(403);
  });
});
