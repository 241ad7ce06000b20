import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

describe('login lock-outs, as administrators see them', () => {
  let server: TestServer;
  const now = Date.now();
  const lockout = { scope: 'pair' as const, account: 'ada@example.org', address: '192.0.2.9', failures: 10, lockedAt: now, lockedUntil: now + 600_000 };
  const asJson = { scope: 'pair', account: 'ada@example.org', address: '192.0.2.9', failures: 10, locked_at: new Date(now).toISOString(), locked_until: new Date(now + 600_000).toISOString() };

  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server?.dispose());

  it('`latchkey lockouts list` shows the lock-outs a running server recorded, as one JSON document', async () => {
    expect(await server.cli(['lockouts', 'list'])).toMatchObject({ code: 0, json: { items: [] } });
    await server.runtime.storage.lockouts.record(lockout);
    expect((await server.cli(['lockouts', 'list'])).json).toEqual({ items: [asJson] });
  });

  it('GET /api/v1/lockouts lists them for administrators only', async () => {
    await server.runtime.storage.lockouts.record(lockout);
    const admin = await logIn(server, ADMIN.email, ADMIN.password);
    const listed = await api(server, 'GET', '/lockouts', { cookie: admin });
    expect(listed).toMatchObject({ status: 200, body: { items: [asJson], next_cursor: null } });
    const user = await provisionUser(server.runtime, { email: 'plain@example.org' });
    const plain = await logIn(server, user.email, USER_PASSWORD);
    expect((await api(server, 'GET', '/lockouts', { cookie: plain })).status).toBe(403);
    expect((await api(server, 'GET', '/lockouts')).status).toBe(401);
  });
});
