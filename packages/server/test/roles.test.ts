import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { inDays, personalToken, userWith } from './support/personal-tokens.js';

interface Problem {
  status: number;
  detail: string;
  fields?: { field: string; message: string }[];
}
interface UserItem {
  id: string;
  email: string;
  roles: string[];
}

describe('roles over HTTP, in two instances sharing one database', () => {
  let one: TestServer;
  let two: TestServer;
  let introspector: ProvisionedClient;
  let admin: string;

  const introspectAt = async (server: TestServer, token: string): Promise<boolean> => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token }, { authorization: basic(introspector.clientId, introspector.clientSecret) });
    return ((await response.json()) as { active: boolean }).active;
  };
  const setRoles = (userId: string, roles: string[], cookie = admin) => api<UserItem & Problem>(one, 'PUT', `/users/${userId}/roles`, { cookie, body: { roles } });

  beforeAll(async () => {
    one = await startTestServer({ env: ADMIN_ENV });
    two = await startTestServer({ shareWith: one });
    introspector = await provisionClient(one.runtime);
    admin = await logIn(one, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await two?.dispose();
    await one?.dispose();
  });

  it('lists users for administrators only, filtered by role and paginated', async () => {
    const pat = await userWith(one, ['pat']);
    const listed = await api<{ items: UserItem[]; next_cursor: string | null }>(one, 'GET', '/users?role=pat&limit=200', { cookie: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((u) => u.email)).toContain(pat.email);
    expect(listed.body.items.every((u) => u.roles.includes('pat'))).toBe(true);
    expect(JSON.stringify(listed.body)).not.toMatch(/argon2|password/);
    const first = await api<{ items: UserItem[]; next_cursor: string }>(one, 'GET', '/users?limit=1', { cookie: admin });
    const second = await api<{ items: UserItem[] }>(one, 'GET', `/users?limit=1&cursor=${first.body.next_cursor}`, { cookie: admin });
    expect((second.body.items[0]?.email ?? '') > (first.body.items[0]?.email ?? '')).toBe(true);
    expect((await api(one, 'GET', '/users', { cookie: pat.cookie })).status).toBe(403);
    expect((await api(one, 'GET', '/users')).status).toBe(401);
    expect((await api<Problem>(one, 'GET', '/users?role=root', { cookie: admin })).status).toBe(400);
  });

  it('a granted or removed role holds on the very next request, in both instances, with no log-out', async () => {
    const eve = await userWith(one, []);
    const create = (server: TestServer, name: string) => api<Problem>(server, 'POST', '/me/tokens', { cookie: eve.cookie, body: { name, expires_at: inDays(5) } });
    expect((await create(one, 'a')).status).toBe(403);
    expect((await create(two, 'b')).status).toBe(403);
    const granted = await setRoles(eve.id, ['pat']);
    expect(granted.status).toBe(200);
    expect(granted.body.roles).toStrictEqual(['pat']);
    expect((await create(two, 'c')).status).toBe(201);
    expect((await create(one, 'd')).status).toBe(201);
    const { token } = await personalToken(two, eve);
    expect(await introspectAt(one, token)).toBe(true);
    expect((await api(two, 'GET', '/session', { bearer: token })).status).toBe(200);

    expect((await setRoles(eve.id, [])).status).toBe(200);
    expect((await create(two, 'e')).status).toBe(403);
    expect((await create(one, 'f')).status).toBe(403);
    expect(await introspectAt(two, token)).toBe(false);
    expect(await introspectAt(one, token)).toBe(false);
    expect((await api(two, 'GET', '/session', { bearer: token })).status).toBe(401);
    // The session itself still works: only what the role allowed is gone.
    expect((await api(two, 'GET', '/session', { cookie: eve.cookie })).status).toBe(200);
  });

  it('an admin role granted in one instance is usable in the other at once', async () => {
    const fay = await userWith(one, []);
    expect((await api(two, 'GET', '/users', { cookie: fay.cookie })).status).toBe(403);
    expect((await setRoles(fay.id, ['admin'])).status).toBe(200);
    expect((await api(two, 'GET', '/users', { cookie: fay.cookie })).status).toBe(200);
    expect((await setRoles(fay.id, [])).status).toBe(200);
    expect((await api(two, 'GET', '/users', { cookie: fay.cookie })).status).toBe(403);
  });

  it('roles granted from the command line (another process) hold on the next request of both instances', async () => {
    const kim = await userWith(one, []);
    const ran = await one.cli(['user', 'roles', '--email', kim.email, '--roles', 'pat,token_admin']);
    expect(ran.code).toBe(0);
    expect(ran.json).toMatchObject({ email: kim.email, roles: ['token_admin', 'pat'], granted: ['token_admin', 'pat'] });
    expect((await api(two, 'GET', '/tokens', { cookie: kim.cookie })).status).toBe(200);
    expect((await api(one, 'POST', '/me/tokens', { cookie: kim.cookie, body: { name: 'cli', expires_at: inDays(5) } })).status).toBe(201);
    const unknown = await one.cli(['user', 'roles', '--email', 'nobody@example.org', '--roles', 'pat']);
    expect(unknown.code).not.toBe(0);
  });

  it('a disabled owner\'s token is inactive at once, everywhere', async () => {
    const gus = await userWith(one, ['pat']);
    const { token } = await personalToken(one, gus);
    expect((await api(one, 'PUT', `/users/${gus.id}/disabled`, { cookie: admin, body: { disabled: true } })).status).toBe(200);
    expect(await introspectAt(two, token)).toBe(false);
    expect((await api(two, 'GET', '/me/tokens', { bearer: token })).status).toBe(401);
    expect((await api(one, 'PUT', `/users/${gus.id}/disabled`, { cookie: admin, body: { disabled: false } })).status).toBe(200);
    expect(await introspectAt(two, token)).toBe(true);
  });

  it('refuses unknown or repeated roles (400 with fields) and an unknown user (404)', async () => {
    const hal = await userWith(one, []);
    const bad = await setRoles(hal.id, ['pat', 'root', 'pat']);
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.map((f) => f.field)).toStrictEqual(['roles[1]', 'roles[2]']);
    expect((await setRoles('usr_nobody', ['pat'])).status).toBe(404);
    expect((await setRoles(hal.id, ['pat'], hal.cookie)).status).toBe(403);
  });

  it('the last administrator cannot remove their own admin role; with a second one, they can', async () => {
    const me = await api<{ user: { id: string } }>(one, 'GET', '/session', { cookie: admin });
    const adminId = me.body.user.id;
    const others = await api<{ items: UserItem[] }>(one, 'GET', '/users?role=admin&limit=200', { cookie: admin });
    for (const u of others.body.items) if (u.id !== adminId) await setRoles(u.id, u.roles.filter((r) => r !== 'admin'));
    const refused = await setRoles(adminId, ['token_admin', 'pat']);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/last administrator/);
    const ivy = await userWith(one, []);
    expect((await setRoles(ivy.id, ['admin'])).status).toBe(200);
    const dropped = await setRoles(adminId, ['token_admin', 'pat']);
    expect(dropped.status).toBe(200);
    expect((await api(two, 'GET', '/users', { cookie: admin })).status).toBe(403);
    // Restore, through the new administrator.
    expect((await setRoles(adminId, ['admin', 'token_admin', 'pat'], ivy.cookie)).status).toBe(200);
  });

  it('audits every grant and removal, visible to token administrators', async () => {
    const jo = await userWith(one, []);
    await setRoles(jo.id, ['pat', 'token_admin']);
    await setRoles(jo.id, ['pat']);
    const trail = await api<{ items: { action: string; target: string; details: { role: string } }[] }>(one, 'GET', '/tokens/audit?limit=50', { cookie: admin });
    const mine = trail.body.items.filter((e) => e.target === `user:${jo.id}`).map((e) => `${e.action} ${e.details.role}`);
    expect(mine).toStrictEqual(['user.role_removed token_admin', 'user.role_granted pat', 'user.role_granted token_admin']);
  });
});
