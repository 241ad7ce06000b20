import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { createApplication } from '../src/domain/applications/create-application.js';
import { provisionClient, startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn, signUpAndLogIn, type Problem } from './support/portal-client.js';

interface AuditPage {
  items: { id: number; at: string; actor: string; action: string; target: string; address: string | null; details: Record<string, unknown> }[];
  next_cursor: string | null;
}

describe('the audit log', () => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  let member: { cookie: string; id: string };
  let clientId: string;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    expect((await api(server, 'POST', '/session', { body: { email: ADMIN.email, password: 'a wrong password' } })).status).toBe(401);
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    adminId = (await api<{ user: { id: string } }>(server, 'GET', '/session', { cookie: admin })).body.user.id;
    member = await signUpAndLogIn(server);
    // An application with this member and a client, made through the domain (the team API is another file's).
    const { runtime } = server;
    await createApplication(runtime, { actor: CLI_ACTOR, acronym: 'BILLING', status: 'approved' });
    await createApplication(runtime, { actor: CLI_ACTOR, acronym: 'OTHER', status: 'approved' });
    const billing = await runtime.storage.applications.getByAcronym('BILLING');
    await runtime.storage.members.add({ applicationId: billing?.id ?? '', userId: member.id, role: 'owner', joinedAt: runtime.clock.now() });
    clientId = (await provisionClient(runtime, { acronym: 'BILLING' })).clientId;
    await server.runtime.settleDeferred();
  });
  afterAll(() => server.dispose());

  it('shows administrators every event, newest first, log-in failures and sessions included', async () => {
    const page = await api<AuditPage>(server, 'GET', '/audit?limit=200', { cookie: admin });
    expect(page.status).toBe(200);
    const ids = page.body.items.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const actions = page.body.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.login_failed', 'session.started', 'user.signed_up', 'application.created', 'client.created']));
    const started = page.body.items.find((e) => e.action === 'session.started' && e.actor === `user:${adminId}`);
    expect(started?.address).toBe('127.0.0.1');
  });

  it('filters by action, actor, target and time', async () => {
    const byAction = await api<AuditPage>(server, 'GET', '/audit?action=session.started', { cookie: admin });
    expect(byAction.body.items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(byAction.body.items.map((e) => e.action))).toEqual(new Set(['session.started']));
    const byActor = await api<AuditPage>(server, 'GET', `/audit?actor=user:${member.id}`, { cookie: admin });
    expect(new Set(byActor.body.items.map((e) => e.actor))).toEqual(new Set([`user:${member.id}`]));
    const byTarget = await api<AuditPage>(server, 'GET', '/audit?target=application:OTHER', { cookie: admin });
    expect(byTarget.body.items.map((e) => e.action)).toEqual(['application.created']);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect((await api<AuditPage>(server, 'GET', `/audit?since=${future}`, { cookie: admin })).body.items).toEqual([]);
    expect((await api<AuditPage>(server, 'GET', `/audit?until=${future}&limit=1`, { cookie: admin })).body.items.length).toBe(1);
    const bad = await api<Problem>(server, 'GET', '/audit?since=yesterday', { cookie: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.[0]?.field).toBe('since');
  });

  it('pages with cursors without repeating or skipping an event', async () => {
    const all = (await api<AuditPage>(server, 'GET', '/audit?limit=200', { cookie: admin })).body.items.map((e) => e.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await api<AuditPage>(server, 'GET', `/audit?limit=3${query}`, { cookie: admin });
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.body.items.map((e) => e.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it("shows a member their application's events (the application and its clients) and nothing else", async () => {
    const own = await api<AuditPage>(server, 'GET', '/audit?application=billing', { cookie: member.cookie });
    expect(own.status).toBe(200);
    expect(new Set(own.body.items.map((e) => e.target))).toEqual(new Set(['application:BILLING', `client:${clientId}`]));
    const whole = await api<Problem>(server, 'GET', '/audit', { cookie: member.cookie });
    expect(whole.status).toBe(403);
    expect(whole.body.detail).toMatch(/application=/);
    expect((await api(server, 'GET', '/audit?application=OTHER', { cookie: member.cookie })).status).toBe(404);
    expect((await api(server, 'GET', '/audit?application=NOPE', { cookie: member.cookie })).status).toBe(404);
    expect((await api(server, 'GET', '/audit?application=OTHER', { cookie: admin })).status).toBe(200);
    expect((await api(server, 'GET', '/audit')).status).toBe(401);
  });
});
