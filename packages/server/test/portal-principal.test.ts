import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserDisabled } from '../src/domain/users/set-user-disabled.js';
import { setUserRoles } from '../src/domain/users/set-user-roles.js';
import type { User } from '../src/domain/users/user.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, signUpAndLogIn } from './support/portal-client.js';
import { userActor } from '../src/domain/actor.js';

interface Me {
  user: { id: string; roles: string[] };
}

describe('the principal is read afresh on every request, in every instance', () => {
  let first: TestServer;
  let second: TestServer;
  let admin: User;
  beforeAll(async () => {
    first = await startTestServer({ env: ADMIN_ENV });
    second = await startTestServer({ shareWith: first });
    admin = (await first.runtime.storage.users.getByEmail(ADMIN.email)) as User;
  });
  afterAll(async () => {
    await second.dispose();
    await first.dispose();
  });

  const acting = () => userActor(admin, null);

  it('a granted role holds on the very next request, here and on the other instance, without logging in again', async () => {
    const user = await signUpAndLogIn(first);
    expect((await api<Me>(second, 'GET', '/session', { cookie: user.cookie })).body.user.roles).toEqual([]);
    expect((await api(second, 'POST', '/services', { cookie: user.cookie, body: { key: 'granted', name: 'G', scopes: [] } })).status).toBe(403);

    await setUserRoles(first.runtime, { actor: acting(), userId: user.id, roles: ['admin'] });
    expect((await api<Me>(first, 'GET', '/session', { cookie: user.cookie })).body.user.roles).toEqual(['admin']);
    expect((await api(second, 'POST', '/services', { cookie: user.cookie, body: { key: 'granted', name: 'G', scopes: [] } })).status).toBe(201);

    await setUserRoles(first.runtime, { actor: acting(), userId: user.id, roles: [] });
    expect((await api(second, 'PATCH', '/services/granted', { cookie: user.cookie, body: { name: 'H' } })).status).toBe(403);
  });

  it("a disabled user's sessions stop on their next request", async () => {
    const user = await signUpAndLogIn(first);
    await setUserDisabled(first.runtime, { actor: acting(), userId: user.id, disabled: true });
    expect((await api(second, 'GET', '/session', { cookie: user.cookie })).status).toBe(401);
    expect((await api(first, 'GET', '/session', { cookie: user.cookie })).status).toBe(401);
  });
});
