import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendExpiryNotices } from '../src/domain/personal-tokens/send-expiry-notices.js';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { ADMIN_ENV, api } from './support/portal-client.js';
import { inDays, joinApplication, personalToken, userWith, type TestUser, type TokenRecord } from './support/personal-tokens.js';

interface Problem {
  status: number;
  detail: string;
  fields?: { field: string; message: string }[];
}

describe('personal access tokens over HTTP', () => {
  let server: TestServer;
  let introspector: ProvisionedClient;
  let ada: TestUser;

  const introspect = async (token: string): Promise<Record<string, unknown>> => {
    const response = await postForm(`${server.url}/oauth/introspect`, { token }, { authorization: basic(introspector.clientId, introspector.clientSecret) });
    return (await response.json()) as Record<string, unknown>;
  };
  const mailTo = async (email: string): Promise<{ kind: string; subject: string; text: string }[]> =>
    (await server.runtime.storage.outbox.list({ limit: 200 })).filter((m) => m.to === email);

  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    introspector = await provisionClient(server.runtime, { acronym: 'PATS', serviceKeys: { email: ['email:send', 'email:read'], docs: ['docs.read', 'docs:write'] } });
    ada = await userWith(server, ['pat']);
    // Ada's service scopes come from PATS, which holds email and docs in DEV (personal-token-rights.test.ts tries the limits).
    await joinApplication(server, ada, 'PATS');
  });
  afterAll(() => server.dispose());

  it('creates a record with the read scopes by default, and emails the owner', async () => {
    const created = await api<TokenRecord>(server, 'POST', '/me/tokens', { cookie: ada.cookie, body: { name: 'reader', expires_at: inDays(10) } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'reader', status: 'not_generated', last_used_at: null, user: { id: ada.id, email: ada.email } });
    expect(created.body.scopes.sort()).toStrictEqual(['docs.read', 'email:read', 'portal:read']);
    expect((await mailTo(ada.email)).map((m) => m.kind)).toContain('personal_token.created');
    const scopes = await api<{ items: { name: string; default: boolean }[] }>(server, 'GET', '/me/tokens/scopes', { cookie: ada.cookie });
    expect(scopes.body.items.filter((s) => s.default).map((s) => s.name).sort()).toStrictEqual(['docs.read', 'email:read', 'portal:read']);
  });

  it('refuses a taken name (409), a past or too distant expiry, a missing expiry and unknown scopes (400 with fields)', async () => {
    await api(server, 'POST', '/me/tokens', { cookie: ada.cookie, body: { name: 'dup', expires_at: inDays(5) } });
    const dup = await api<Problem>(server, 'POST', '/me/tokens', { cookie: ada.cookie, body: { name: 'dup', expires_at: inDays(5) } });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toMatch(/named "dup" already/);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'p', expires_at: inDays(-1) }, 'expires_at'],
      [{ name: 'f', expires_at: inDays(367) }, 'expires_at'],
      [{ name: 'g', expires_at: 'next tuesday' }, 'expires_at'],
      [{ name: 'm' }, 'expires_at'],
      [{ name: 's', expires_at: inDays(5), scopes: ['email:read', 'everything'] }, 'scopes[1]'],
    ];
    for (const [body, field] of cases) {
      const response = await api<Problem>(server, 'POST', '/me/tokens', { cookie: ada.cookie, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.body.fields), JSON.stringify(body)).toContain(field);
    }
  });

  it('needs the pat role to create or generate', async () => {
    const bob = await userWith(server, []);
    const response = await api<Problem>(server, 'POST', '/me/tokens', { cookie: bob.cookie, body: { name: 'x', expires_at: inDays(5) } });
    expect(response.status).toBe(403);
    expect(response.body.detail).toMatch(/pat role/);
  });

  it('generates an RFC 9068 JWT that resource servers verify with the JWKS and introspection reports active', async () => {
    const { record, token } = await personalToken(server, ada, { scopes: ['email:send'], expires_at: '2027-06-01' });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.runtime.config.issuer, audience: 'urn:latchkey:service:email:dev', typ: 'at+jwt' });
    expect(protectedHeader.typ).toBe('at+jwt');
    // PATS has DEV only: the token is not for the other environments.
    expect(payload.aud).toStrictEqual(['urn:latchkey:service:email:dev']);
    expect(payload).toMatchObject({ sub: ada.id, scope: 'email:send', pat_id: record.id, client_id: 'latchkey-personal-token', exp: Date.parse('2027-06-01') / 1000 });
    expect(typeof payload.jti).toBe('string');
    expect(await introspect(token)).toMatchObject({ active: true, sub: ada.id, pat_id: record.id });
    const listed = await api<{ items: Record<string, unknown>[] }>(server, 'GET', '/me/tokens', { cookie: ada.cookie });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.items.find((i) => i.id === record.id)).toMatchObject({ status: 'active' });
  });

  it('generating again makes the previous token inactive at once; deleting makes the current one inactive', async () => {
    const { record, token: first } = await personalToken(server, ada);
    const again = await api<{ token: string }>(server, 'POST', `/me/tokens/${record.id}/generate`, { cookie: ada.cookie });
    expect(again.status).toBe(200);
    expect((await introspect(first)).active).toBe(false);
    expect((await introspect(again.body.token)).active).toBe(true);
    const other = await userWith(server, ['pat']);
    expect((await api(server, 'DELETE', `/me/tokens/${record.id}`, { cookie: other.cookie })).status).toBe(404);
    expect((await api(server, 'POST', `/me/tokens/${record.id}/generate`, { cookie: other.cookie })).status).toBe(404);
    expect((await api(server, 'DELETE', `/me/tokens/${record.id}`, { cookie: ada.cookie })).status).toBe(204);
    expect((await introspect(again.body.token)).active).toBe(false);
    expect((await api(server, 'GET', `/me/tokens/${record.id}`, { cookie: ada.cookie })).status).toBe(404);
  });

  it('authenticates the portal API as its owner: reads without portal:write, changes only with it; last use is recorded with the address', async () => {
    const { record, token: reader } = await personalToken(server, ada);
    const me = await api<{ user: { id: string }; via: string }>(server, 'GET', '/session', { bearer: reader });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: ada.id }, via: 'token' });
    expect((await api(server, 'GET', '/me/tokens', { bearer: reader })).status).toBe(200);
    const refused = await api<Problem>(server, 'POST', '/me/tokens', { bearer: reader, body: { name: 'by-token', expires_at: inDays(5) } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/portal:write/);
    const { token: writer } = await personalToken(server, ada, { scopes: ['portal:write'] });
    expect((await api(server, 'POST', '/me/tokens', { bearer: writer, body: { name: 'by-token', expires_at: inDays(5) } })).status).toBe(201);
    expect((await api(server, 'GET', '/session', { bearer: 'not.a.token' })).status).toBe(401);
    await server.runtime.flushUsage();
    const seen = await api<TokenRecord>(server, 'GET', `/me/tokens/${record.id}`, { cookie: ada.cookie });
    expect(seen.body.last_used_at).not.toBeNull();
    expect(seen.body.last_used_from).toBe('127.0.0.1');
  });

  it('token administrators list everyone\'s records with filters, revoke any (owner emailed), and read the trail; others may not', async () => {
    const admin = await userWith(server, ['token_admin']);
    const carol = await userWith(server, ['pat']);
    const { record, token } = await personalToken(server, carol, { expires_at: inDays(3) });
    expect((await api(server, 'GET', '/tokens', { cookie: carol.cookie })).status).toBe(403);
    const byUser = await api<{ items: TokenRecord[] }>(server, 'GET', `/tokens?user_id=${carol.id}`, { cookie: admin.cookie });
    expect(byUser.body.items.map((i) => i.id)).toStrictEqual([record.id]);
    const byEmail = await api<{ items: TokenRecord[] }>(server, 'GET', `/tokens?email=${encodeURIComponent(carol.email)}&expires_before=${encodeURIComponent(inDays(4))}`, { cookie: admin.cookie });
    expect(byEmail.body.items.map((i) => i.id)).toStrictEqual([record.id]);
    const paged = await api<{ items: TokenRecord[]; next_cursor: string | null }>(server, 'GET', '/tokens?limit=1', { cookie: admin.cookie });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next_cursor).not.toBeNull();
    const next = await api<{ items: TokenRecord[] }>(server, 'GET', `/tokens?limit=1&cursor=${paged.body.next_cursor}`, { cookie: admin.cookie });
    expect(next.body.items[0]?.id).not.toBe(paged.body.items[0]?.id);

    const revoked = await api<TokenRecord>(server, 'DELETE', `/tokens/${record.id}`, { cookie: admin.cookie });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await introspect(token)).active).toBe(false);
    expect((await api(server, 'DELETE', `/tokens/${record.id}`, { cookie: admin.cookie })).status).toBe(409);
    expect((await api(server, 'POST', `/me/tokens/${record.id}/generate`, { cookie: carol.cookie })).status).toBe(409);
    const mail = (await mailTo(carol.email)).find((m) => m.kind === 'personal_token.revoked');
    expect(mail?.text).toContain(`${server.runtime.config.issuer}/tokens/new?replace=${record.id}`);

    const trail = await api<{ items: { action: string; target: string }[] }>(server, 'GET', '/tokens/audit?limit=200', { cookie: admin.cookie });
    const mine = trail.body.items.filter((e) => e.target === `personal_token:${record.id}`).map((e) => e.action);
    expect(mine).toStrictEqual(['personal_token.revoked', 'personal_token.generated', 'personal_token.created']);
    expect((await api(server, 'GET', '/tokens/audit', { cookie: carol.cookie })).status).toBe(403);
  });

  it('a replacement (from the notice link) takes the old record\'s name and deletes it in one step', async () => {
    const { record, token } = await personalToken(server, ada, { name: 'nightly', scopes: ['email:read'] });
    const replacement = await api<TokenRecord>(server, 'POST', '/me/tokens', { cookie: ada.cookie, body: { name: 'nightly', expires_at: inDays(60), scopes: ['email:read'], replaces: record.id } });
    expect(replacement.status).toBe(201);
    expect((await introspect(token)).active).toBe(false);
    expect((await api(server, 'GET', `/me/tokens/${record.id}`, { cookie: ada.cookie })).status).toBe(404);
  });

  it('describes every personal token and role route in the OpenAPI document', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(server, 'GET', '/api/openapi.json');
    for (const [path, method] of [
      ['/api/v1/me/tokens', 'post'],
      ['/api/v1/me/tokens/{id}/generate', 'post'],
      ['/api/v1/me/tokens/{id}', 'delete'],
      ['/api/v1/tokens', 'get'],
      ['/api/v1/tokens/{id}', 'delete'],
      ['/api/v1/tokens/audit', 'get'],
      ['/api/v1/users', 'get'],
      ['/api/v1/users/{id}/roles', 'put'],
    ] as const) {
      expect(doc.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });

  it('emails the 7-day and 1-day expiry notices once each, however often the job runs', async () => {
    const dave = await userWith(server, ['pat']);
    await personalToken(server, dave, { name: 'week', expires_at: inDays(5) });
    await personalToken(server, dave, { name: 'day', expires_at: inDays(0.5) });
    const job = () => sendExpiryNotices({ ...server.runtime, issuer: server.runtime.config.issuer });
    await Promise.all([job(), job()]);
    await job();
    const kinds = (await mailTo(dave.email)).map((m) => m.kind).sort();
    expect(kinds).toStrictEqual(['personal_token.created', 'personal_token.created', 'personal_token.expiry_1d', 'personal_token.expiry_7d']);
  });
});
