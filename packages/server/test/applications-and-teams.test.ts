import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { basic, postForm, startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { invitationTokenFor, mailTo, userLoggedIn, type LoggedIn } from './support/team-users.js';
import { createService } from '../src/domain/catalog/create-service.js';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { generateSecret } from '../src/domain/secrets/generated-secret.js';
import { systemRandom } from '../src/domain/random.js';

interface Problem { status: number; detail: string; fields?: { field: string; message: string }[] }
interface Credential { client_id: string; client_secret: string; token_endpoint: string; example_request: { curl: string }; status: string; previous_secret_expires_at?: string }
interface Details { status: string; environments: { env: string; status: string; client: { last_used_at: string | null; secrets: { last_used_at: string | null }[] } | null }[] }

// The whole onboarding journey over a real socket: request, approval by mail link, DEV/TEST/PROD in order
// (PROD waiting for approval), regenerate with and without grace, invitations, removal rules, audit.
describe('applications and teams over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let ada: LoggedIn;
  let bob: LoggedIn;
  let eve: LoggedIn;
  const ACR = `PAY${randomUUID().slice(0, 4).toUpperCase()}`;

  const tokenStatus = async (clientId: string, secret: string): Promise<number> =>
    (await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, secret) })).status;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_APPROVAL_ENVIRONMENTS: 'prod', LATCHKEY_MAX_SECRET_GRACE: '3600' } });
    const rt = server.runtime;
    await createService({ storage: rt.storage, clock: rt.clock, environments: rt.config.environments }, {
      actor: CLI_ACTOR,
      key: 'email',
      name: 'Email',
      scopes: [{ name: 'email:send', description: '' }, { name: 'email:read', description: '' }],
    });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    [ada, bob, eve] = [await userLoggedIn(server, 'Ada'), await userLoggedIn(server, 'Bob'), await userLoggedIn(server, 'Eve')];
  });
  afterAll(() => server?.dispose());

  it('a request is pending, administrators are mailed, the acronym is unique regardless of case, and the next form is pre-filled', async () => {
    const created = await api<{ acronym: string; status: string }>(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym: ACR.toLowerCase(), name: 'Payments', description: 'Card payments' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ acronym: ACR, status: 'pending' });
    expect((await mailTo(server, ADMIN.email)).map((m) => m.subject)).toContain(`Application ${ACR} waits for your approval`);
    expect((await api(server, 'POST', '/applications', { cookie: bob.cookie, body: { acronym: ACR } })).status).toBe(409);
    const bad = await api<Problem>(server, 'POST', '/applications', { cookie: bob.cookie, body: { acronym: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.[0]?.field).toBe('acronym');
    expect((await api(server, 'GET', '/application-draft', { cookie: ada.cookie })).body).toStrictEqual({ acronym: ACR, name: 'Payments', description: 'Card payments', status: 'pending' });
    expect((await api(server, 'POST', '/applications', { body: { acronym: 'NOONE' } })).status).toBe(401);
  });

  it('only an administrator decides; the requester is mailed a link to the application page', async () => {
    expect((await api(server, 'POST', `/applications/${ACR}/approval`, { cookie: ada.cookie, body: { decision: 'approve' } })).status).toBe(403);
    const blocked = await api<Problem>(server, 'POST', `/applications/${ACR}/environments/dev`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } });
    expect(blocked.status).toBe(409);
    const approved = await api<{ status: string }>(server, 'POST', `/applications/${ACR}/approval`, { cookie: admin, body: { decision: 'approve', reason: 'welcome' } });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const [mail] = await mailTo(server, ada.user.email);
    expect(mail?.subject).toBe(`Your application ${ACR} was approved`);
    expect(mail?.text).toContain(`${server.env.LATCHKEY_ISSUER}/applications/${ACR}`);
    expect((await api(server, 'POST', `/applications/${ACR}/approval`, { cookie: admin, body: { decision: 'reject' } })).status).toBe(409);
  });

  it('environments register in order (409 naming the first), validate services, and PROD waits for approval', async () => {
    const early = await api<Problem>(server, 'POST', `/applications/${ACR}/environments/test`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/register dev first/);
    const unknown = await api<Problem>(server, 'POST', `/applications/${ACR}/environments/dev`, { cookie: ada.cookie, body: { services: [{ key: 'sms' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('no service "sms"');
    const badScope = await api<Problem>(server, 'POST', `/applications/${ACR}/environments/dev`, { cookie: ada.cookie, body: { services: [{ key: 'email', scopes: ['email:fly'] }] } });
    expect(badScope.status).toBe(400);
    expect(badScope.body.detail).toContain('email:fly');
    expect((await api(server, 'POST', `/applications/${ACR}/environments/qa`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } })).status).toBe(404);

    const dev = await api<Credential>(server, 'POST', `/applications/${ACR}/environments/dev`, { cookie: ada.cookie, body: { services: [{ key: 'email', scopes: ['email:send'] }] } });
    expect(dev.status).toBe(201);
    expect(dev.body.client_secret).toMatch(/^lks_/);
    expect(dev.body.token_endpoint).toBe(`${server.env.LATCHKEY_ISSUER}/oauth/token`);
    expect(dev.body.example_request.curl).toContain(dev.body.client_id);
    expect(await tokenStatus(dev.body.client_id, dev.body.client_secret)).toBe(200);
    expect((await api(server, 'POST', `/applications/${ACR}/environments/dev`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } })).status).toBe(409);

    const afterDev = await api<Details & { next_environment: unknown }>(server, 'GET', `/applications/${ACR}`, { cookie: ada.cookie });
    expect(afterDev.body.environments.map((e) => e.env)).toStrictEqual(['dev']);
    expect(afterDev.body.next_environment).toStrictEqual({ env: 'test', needs_approval: false });
    expect((await api(server, 'POST', `/applications/${ACR}/environments/test`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } })).status).toBe(201);
    const prod = await api<Credential>(server, 'POST', `/applications/${ACR}/environments/prod`, { cookie: ada.cookie, body: { services: [{ key: 'email' }] } });
    expect(prod.status).toBe(202);
    expect(prod.body.client_secret).toBeUndefined();
    const waiting = await api<Details & { next_environment: unknown }>(server, 'GET', `/applications/${ACR}`, { cookie: ada.cookie });
    expect(waiting.body.environments.map((e) => [e.env, e.status])).toStrictEqual([['dev', 'approved'], ['test', 'approved'], ['prod', 'pending']]);
    expect(waiting.body.next_environment).toBeNull();
    expect((await mailTo(server, ADMIN.email)).map((m) => m.subject)).toContain(`${ACR} asks for prod credentials`);
    expect((await api(server, 'POST', `/applications/${ACR}/environments/prod/approval`, { cookie: ada.cookie, body: { decision: 'approve' } })).status).toBe(403);
    expect((await api(server, 'POST', `/applications/${ACR}/environments/prod/approval`, { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    expect((await mailTo(server, ada.user.email)).map((m) => m.subject)).toContain(`${ACR} prod was approved`);
    const first = await api<Credential>(server, 'POST', `/applications/${ACR}/environments/prod/secret`, { cookie: ada.cookie });
    expect(first.status).toBe(200);
    expect(await tokenStatus(first.body.client_id, first.body.client_secret)).toBe(200);
  });

  it('regenerating stops the old secret at once by default, or keeps it for grace_seconds (bounded); last use is shown', async () => {
    const soft = await api<Credential>(server, 'POST', `/applications/${ACR}/environments/dev/secret`, { cookie: ada.cookie, body: { grace_seconds: 600 } });
    expect(soft.status).toBe(200);
    const details = await api<Details>(server, 'GET', `/applications/${ACR}`, { cookie: ada.cookie });
    const devClient = details.body.environments.find((e) => e.env === 'dev')?.client;
    expect(devClient?.secrets).toHaveLength(2);
    await server.runtime.syncChanges();
    expect(await tokenStatus(soft.body.client_id, soft.body.client_secret)).toBe(200);
    const hard = await api<Credential>(server, 'POST', `/applications/${ACR}/environments/dev/secret`, { cookie: ada.cookie, body: {} });
    await server.runtime.syncChanges();
    expect(await tokenStatus(hard.body.client_id, soft.body.client_secret)).toBe(401);
    expect(await tokenStatus(hard.body.client_id, hard.body.client_secret)).toBe(200);
    const tooLong = await api<Problem>(server, 'POST', `/applications/${ACR}/environments/dev/secret`, { cookie: ada.cookie, body: { grace_seconds: 3601 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields?.[0]?.field).toBe('grace_seconds');

    await server.runtime.flushUsage();
    const after = await api<Details>(server, 'GET', `/applications/${ACR}`, { cookie: ada.cookie });
    expect(after.body.environments.map((e) => [e.env, e.status])).toStrictEqual([['dev', 'approved'], ['test', 'approved'], ['prod', 'approved']]);
    const dev = after.body.environments[0]?.client;
    expect(dev?.last_used_at).not.toBeNull();
    expect(dev?.secrets.some((s) => s.last_used_at !== null)).toBe(true);
  });

  it('invitations: bound to the invited address, single use, expiring; joining shows in the member list', async () => {
    const invited = await api(server, 'POST', `/applications/${ACR}/invitations`, { cookie: ada.cookie, body: { email: bob.user.email } });
    expect(invited.status).toBe(201);
    const token = await invitationTokenFor(server, bob.user.email, ACR);
    expect((await mailTo(server, bob.user.email))[0]?.text).toContain(`${server.env.LATCHKEY_ISSUER}/invitations/${token}`);
    const wrong = await api<Problem>(server, 'POST', `/invitations/${token}/accept`, { cookie: eve.cookie });
    expect(wrong.status).toBe(403);
    expect(wrong.body.detail).toMatch(/another email address/);
    expect((await api(server, 'POST', `/invitations/${token}/accept`, { cookie: bob.cookie })).status).toBe(200);
    expect((await api<Problem>(server, 'POST', `/invitations/${token}/accept`, { cookie: bob.cookie })).status).toBe(409);
    expect((await api(server, 'POST', `/invitations/lki_nothing/accept`, { cookie: bob.cookie })).status).toBe(404);

    const members = await api<{ items: { userId: string; email: string; name: string; role: string; joined_at: string }[] }>(server, 'GET', `/applications/${ACR}/members`, { cookie: bob.cookie });
    expect(members.body.items.map((m) => [m.userId, m.email, m.name, m.role])).toStrictEqual([
      [ada.user.id, ada.user.email, 'Ada', 'owner'],
      [bob.user.id, bob.user.email, 'Bob', 'member'],
    ]);

    const expiredToken = generateSecret(systemRandom, 'invitation');
    const app = await server.runtime.storage.applications.getByAcronym(ACR);
    await server.runtime.storage.invitations.create({
      id: randomUUID(), applicationId: app?.id ?? '', email: eve.user.email, tokenHash: server.runtime.serverKeys.hash(expiredToken),
      invitedBy: ada.user.id, createdAt: Date.now() - 120_000, expiresAt: Date.now() - 1, acceptedAt: null, acceptedBy: null,
    });
    const expired = await api<Problem>(server, 'POST', `/invitations/${expiredToken}/accept`, { cookie: eve.cookie });
    expect(expired.status).toBe(409);
    expect(expired.body.detail).toMatch(/expired/);
  });

  it('members see only their applications; removing yourself is a 403 saying why; the last member stays', async () => {
    expect((await api<{ items: unknown[] }>(server, 'GET', '/applications', { cookie: eve.cookie })).body.items).toStrictEqual([]);
    expect((await api(server, 'GET', `/applications/${ACR}`, { cookie: eve.cookie })).status).toBe(403);
    expect((await api<{ items: { acronym: string }[] }>(server, 'GET', '/applications?status=approved', { cookie: admin })).body.items.map((a) => a.acronym)).toContain(ACR);
    expect((await api<{ items: { acronym: string }[] }>(server, 'GET', '/applications', { cookie: bob.cookie })).body.items.map((a) => a.acronym)).toStrictEqual([ACR]);

    const self = await api<Problem>(server, 'DELETE', `/applications/${ACR}/members/${ada.user.id}`, { cookie: ada.cookie });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/cannot remove yourself/);
    expect((await api(server, 'DELETE', `/applications/${ACR}/members/${eve.user.id}`, { cookie: ada.cookie })).status).toBe(404);
    expect((await api(server, 'DELETE', `/applications/${ACR}/members/${ada.user.id}`, { cookie: bob.cookie })).status).toBe(204);
    const last = await api<Problem>(server, 'DELETE', `/applications/${ACR}/members/${bob.user.id}`, { cookie: admin });
    expect(last.status).toBe(409);
    expect(last.body.detail).toMatch(/last member/);
    expect((await api(server, 'GET', `/applications/${ACR}`, { cookie: ada.cookie })).status).toBe(403);
  });

  it('the OpenAPI document describes every application route', async () => {
    const doc = await api<{ paths: Record<string, unknown> }>(server, 'GET', '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications',
        '/api/v1/applications/{acronym}',
        '/api/v1/applications/{acronym}/approval',
        '/api/v1/applications/{acronym}/environments/{env}',
        '/api/v1/applications/{acronym}/environments/{env}/secret',
        '/api/v1/applications/{acronym}/members/{userId}',
        '/api/v1/applications/{acronym}/invitations',
        '/api/v1/invitations/{token}/accept',
      ]),
    );
  });

  it('every change is in the audit log with actor, action, target and address', async () => {
    const events = (await server.runtime.storage.audit.list({ limit: 500 })).filter((e) => e.target === `application:${ACR}`);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['application.requested', 'application.approved', 'environment.registered', 'environment.requested', 'environment.approved', 'member.invited', 'member.joined', 'member.removed', 'client.secret_rotated']),
    );
    const requested = events.find((e) => e.action === 'application.requested');
    expect(requested).toMatchObject({ actor: `user:${ada.user.id}`, address: '127.0.0.1' });
    const forMembers = await api<{ items: { action: string }[] }>(server, 'GET', `/audit?application=${ACR}&limit=200`, { cookie: bob.cookie });
    expect(forMembers.status).toBe(200);
    expect(forMembers.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['application.requested', 'client.secret_rotated', 'member.removed']));
    expect([403, 404]).toContain((await api(server, 'GET', `/audit?application=${ACR}`, { cookie: eve.cookie })).status);
  });
});
