import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn, signUpAndLogIn, type Problem } from './support/portal-client.js';

interface ServiceJson {
  key: string;
  name: string;
  scopes: { name: string; description: string }[];
  base_urls: Record<string, string>;
  retired_at: string | null;
}

describe('the catalog', () => {
  let server: TestServer;
  let admin: string;
  let member: string;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    member = (await signUpAndLogIn(server)).cookie;
  });
  afterAll(() => server.dispose());

  const email = {
    key: 'email',
    name: 'Email Service',
    description: 'Sends mail',
    scopes: [{ name: 'email:send', description: 'send mail' }, { name: 'email:read' }],
    base_urls: { dev: 'https://email.dev.example.org', prod: 'https://email.example.org' },
  };

  it('lets an administrator create a service that every user then sees', async () => {
    const created = await api<ServiceJson>(server, 'POST', '/services', { cookie: admin, body: email });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'email', scopes: [{ name: 'email:send', description: 'send mail' }, { name: 'email:read', description: '' }], base_urls: email.base_urls, retired_at: null });
    const listed = await api<{ items: ServiceJson[]; next_cursor: string | null }>(server, 'GET', '/services', { cookie: member });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s) => s.key)).toEqual(['email']);
    expect(listed.body.next_cursor).toBeNull();
    expect((await api<ServiceJson>(server, 'GET', '/services/email', { cookie: member })).body.name).toBe('Email Service');
  });

  it('refuses catalog changes from a user without the admin role (403) and from nobody (401)', async () => {
    expect((await api(server, 'POST', '/services', { cookie: member, body: { ...email, key: 'sms' } })).status).toBe(403);
    expect((await api(server, 'PATCH', '/services/email', { cookie: member, body: { name: 'x' } })).status).toBe(403);
    expect((await api(server, 'DELETE', '/services/email', { cookie: member })).status).toBe(403);
    expect((await api(server, 'GET', '/services')).status).toBe(401);
  });

  it('answers a duplicate key with 409, bad fields with 400 naming them, an unknown key with 404', async () => {
    expect((await api<Problem>(server, 'POST', '/services', { cookie: admin, body: email })).status).toBe(409);
    const bad = await api<Problem>(server, 'POST', '/services', {
      cookie: admin,
      body: { key: 'Bad Key', name: 'x', scopes: [{ name: 'has space' }], base_urls: { staging: 'ftp://x' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.map((f) => f.field).sort()).toEqual(['base_urls.staging', 'base_urls.staging', 'key', 'scopes[0]']);
    expect((await api<Problem>(server, 'PATCH', '/services/nope', { cookie: admin, body: { name: 'x' } })).status).toBe(404);
  });

  it('edits only the fields sent; scopes is the complete new list', async () => {
    const edited = await api<ServiceJson>(server, 'PATCH', '/services/email', { cookie: admin, body: { scopes: [{ name: 'email:send', description: 'send' }, { name: 'email:bulk' }] } });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe('Email Service');
    expect(edited.body.scopes.map((s) => s.name)).toEqual(['email:send', 'email:bulk']);
  });

  it('pages through the catalog with limit and cursor', async () => {
    for (const key of ['svc-a', 'svc-b', 'svc-c']) {
      expect((await api(server, 'POST', '/services', { cookie: admin, body: { key, name: key, scopes: [] } })).status).toBe(201);
    }
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api<{ items: ServiceJson[]; next_cursor: string | null }>(server, 'GET', `/services${query}`, { cookie: member });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      keys.push(...page.body.items.map((s) => s.key));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(keys).toEqual(['email', 'svc-a', 'svc-b', 'svc-c']);
    const tooMany = await api<Problem>(server, 'GET', '/services?limit=500', { cookie: member });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields?.[0]?.field).toBe('limit');
    expect((await api<Problem>(server, 'GET', '/services?cursor=garbage', { cookie: member })).body.fields?.[0]?.field).toBe('cursor');
  });

  it('retires a service: gone from the default list, shown with ?retired=true, retiring again is 409, audited', async () => {
    const retired = await api<ServiceJson>(server, 'DELETE', '/services/svc-c', { cookie: admin });
    expect(retired.status).toBe(200);
    expect(retired.body.retired_at).not.toBeNull();
    const listed = await api<{ items: ServiceJson[] }>(server, 'GET', '/services', { cookie: member });
    expect(listed.body.items.map((s) => s.key)).not.toContain('svc-c');
    const all = await api<{ items: ServiceJson[] }>(server, 'GET', '/services?retired=true', { cookie: member });
    expect(all.body.items.map((s) => s.key)).toContain('svc-c');
    expect((await api(server, 'DELETE', '/services/svc-c', { cookie: admin })).status).toBe(409);
    const events = await server.runtime.storage.audit.list({ limit: 100 });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['service.created', 'service.updated', 'service.retired']));
    expect(events.find((e) => e.action === 'service.retired')?.actor).toMatch(/^user:/);
  });
});
