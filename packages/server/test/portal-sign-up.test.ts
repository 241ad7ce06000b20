import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn, signUpAndLogIn } from './support/portal-client.js';
import type { Problem } from './support/portal-client.js';


describe('sign-up', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server.dispose());

  it('creates an account without roles that can log in', async () => {
    const user = await signUpAndLogIn(server, { name: 'Ada Lovelace' });
    const me = await api<{ user: { email: string; name: string; roles: string[] } }>(server, 'GET', '/session', { cookie: user.cookie });
    expect(me.body.user).toMatchObject({ email: user.email, name: 'Ada Lovelace', roles: [] });
  });

  it('answers a taken email exactly like a new one, and mails the owner instead', async () => {
    const fresh = await api<{ detail: string }>(server, 'POST', '/users', { body: { email: 'new@example.org', name: 'N', password: 'tangerine viaduct orchestra' } });
    const taken = await api<{ detail: string }>(server, 'POST', '/users', { body: { email: ADMIN.email.toUpperCase(), name: 'Mallory', password: 'tangerine viaduct orchestra' } });
    expect(taken.status).toBe(fresh.status);
    expect(taken.body.detail.replace(ADMIN.email, 'X')).toBe(fresh.body.detail.replace('new@example.org', 'X'));
    // The owner's password still works, and the intruder's does not.
    await expect(logIn(server, ADMIN.email, ADMIN.password)).resolves.toMatch(/^latchkey_session=/);
    expect((await api(server, 'POST', '/session', { body: { email: ADMIN.email, password: 'tangerine viaduct orchestra' } })).status).toBe(401);
    // Trying again does not flood the owner's inbox: one notice per window.
    expect((await api(server, 'POST', '/users', { body: { email: ADMIN.email, name: 'Mallory', password: 'tangerine viaduct orchestra' } })).status).toBe(202);
    const mail = (await server.runtime.storage.outbox.list({ limit: 10 })).filter((m) => m.to === ADMIN.email);
    expect(mail.map((m) => m.subject)).toEqual(['Someone tried to sign up with your address']);
  });

  it('refuses short, common and self-referencing passwords, naming the field', async () => {
    for (const password of ['short', 'Password1234!', 'qwertyuiop123', 'grace.hopper.1906']) {
      const response = await api<Problem>(server, 'POST', '/users', { body: { email: 'grace.hopper@example.org', name: 'Grace Hopper', password } });
      expect(response.status, password).toBe(400);
      expect(response.body.fields?.map((f) => f.field)).toEqual(['password']);
    }
  });

  it('lists every invalid field at once', async () => {
    const response = await api<Problem>(server, 'POST', '/users', { body: { email: 'not-an-email', name: '   ', password: 'tangerine viaduct orchestra' } });
    expect(response.status).toBe(400);
    expect(response.body.fields?.map((f) => f.field).sort()).toEqual(['email', 'name']);
    const missing = await api<Problem>(server, 'POST', '/users', { body: {} });
    expect(missing.body.fields?.map((f) => f.field).sort()).toEqual(['email', 'name', 'password']);
  });

  it('keeps roles to what an administrator grants: a new user may not end sessions', async () => {
    const user = await signUpAndLogIn(server);
    const response = await api<Problem>(server, 'DELETE', `/users/${user.id}/sessions`, { cookie: user.cookie });
    expect(response.status).toBe(403);
    expect(response.body.detail).toMatch(/admin role/);
  });
});

describe('limits on sign-up and log-in', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_SIGNUPS_PER_HOUR: '2' } });
  });
  afterAll(() => server.dispose());

  it('limits sign-ups per address with a 429 and Retry-After', async () => {
    const body = (i: number) => ({ email: `limit${i}@example.org`, name: 'L', password: 'tangerine viaduct orchestra' });
    expect((await api(server, 'POST', '/users', { body: body(1) })).status).toBe(202);
    expect((await api(server, 'POST', '/users', { body: body(2) })).status).toBe(202);
    const third = await api<Problem>(server, 'POST', '/users', { body: body(3) });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.body.detail).toMatch(/too many sign-ups/);
  });

  it('slows repeated log-in failures with a 429 and Retry-After, and audits the failures', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof api<Problem>>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await api<Problem>(server, 'POST', '/session', { body: { email: 'limit1@example.org', password: `wrong password ${i}` } });
      statuses.push(last.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    await server.runtime.settleDeferred();
    const events = await server.runtime.storage.audit.list({ limit: 50 });
    expect(events.filter((e) => e.action === 'user.login_failed').length).toBeGreaterThanOrEqual(3);
  });
});
