import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { mailTo, userLoggedIn, type LoggedIn } from './support/team-users.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { resolveRef } from './support/openapi.js';
import { createService } from '../src/domain/catalog/create-service.js';
import { CLI_ACTOR } from '../src/domain/actor.js';

interface Requester { id: string; name: string; email: string }
interface Details {
  acronym: string;
  name: string;
  description: string;
  requested_at: string;
  requester: Requester | null;
  environments: { env: string; status: string; requested_at: string | null; requester: Requester | null }[];
}

// The administrators' mail about a request must lead to a page where they can decide it, and the
// API must tell that page who asked and when.
describe('the approval mail leads to the decision', () => {
  let server: TestServer;
  let admin: string;
  let ada: LoggedIn;
  let issuer: string;

  /** The link under the mail's "Review …" label, in the text part and the HTML part alike. */
  async function reviewLink(subject: string): Promise<{ text: string; html: string }> {
    const mail = (await mailTo(server, ADMIN.email)).find((m) => m.subject === subject);
    if (!mail) throw new Error(`no mail "${subject}" to the administrator`);
    return { text: /Review [^\n]+:\n(\S+)/.exec(mail.text)?.[1] ?? '', html: /<a href="([^"]+)"/.exec(mail.html)?.[1] ?? '' };
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_APPROVAL_ENVIRONMENTS: 'test' } });
    issuer = server.runtime.config.issuer;
    const rt = server.runtime;
    await createService({ storage: rt.storage, clock: rt.clock, environments: rt.config.environments }, { actor: CLI_ACTOR, key: 'docs', name: 'Docs', scopes: [{ name: 'docs:render', description: '' }] });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    ada = await userLoggedIn(server, 'Ada');
  });
  afterAll(() => server?.dispose());

  it('an account request mails the administrators the link to its review page, which the server serves as a portal page', async () => {
    const before = Date.now();
    expect((await api(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym: 'rev', name: 'Review me', description: 'Renders invoices' } })).status).toBe(201);
    const link = await reviewLink('Application REV waits for your approval');
    expect(link).toStrictEqual({ text: `${issuer}/admin/requests/REV`, html: `${issuer}/admin/requests/REV` });
    const page = await fetch(link.text);
    expect(page.status, 'a client route of the portal, not a 404').not.toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);

    const details = await api<Details>(server, 'GET', '/applications/REV', { cookie: admin });
    expect(details.body).toMatchObject({ acronym: 'REV', name: 'Review me', description: 'Renders invoices', requester: { id: ada.user.id, name: 'Ada', email: ada.user.email } });
    expect(Date.parse(details.body.requested_at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('a request made again after a rejection shows the new request time', async () => {
    await api(server, 'POST', '/applications/REV/approval', { cookie: admin, body: { decision: 'reject', reason: 'say more' } });
    const first = (await api<Details>(server, 'GET', '/applications/REV', { cookie: admin })).body.requested_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await api(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym: 'REV', name: 'Review me', description: 'Renders invoices, with more detail' } })).status).toBe(201);
    const again = (await api<Details>(server, 'GET', '/applications/REV', { cookie: admin })).body;
    expect(Date.parse(again.requested_at)).toBeGreaterThan(Date.parse(first));
    expect(again.description).toBe('Renders invoices, with more detail');
  });

  it('an environment waiting for approval mails the link to its own review page, and the API names who asked', async () => {
    expect((await api(server, 'POST', '/applications/REV/approval', { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    expect((await api(server, 'POST', '/applications/REV/environments/dev', { cookie: ada.cookie, body: { services: [{ key: 'docs' }] } })).status).toBe(201);
    expect((await api(server, 'POST', '/applications/REV/environments/test', { cookie: ada.cookie, body: { services: [{ key: 'docs' }] } })).status).toBe(202);
    const link = await reviewLink('REV asks for test credentials');
    expect(link).toStrictEqual({ text: `${issuer}/admin/requests/REV/test`, html: `${issuer}/admin/requests/REV/test` });
    expect((await fetch(link.text)).status).not.toBe(404);
    const mail = (await mailTo(server, ADMIN.email)).find((m) => m.subject === 'REV asks for test credentials');
    expect(mail?.text).toContain(`Ada (${ada.user.email})`);

    const details = await api<Details>(server, 'GET', '/applications/REV', { cookie: admin });
    const test = details.body.environments.find((e) => e.env === 'test');
    expect(test).toMatchObject({ status: 'pending', requester: { id: ada.user.id, name: 'Ada', email: ada.user.email } });
    expect(test?.requested_at).toEqual(expect.any(String));
  });

  it('the requester is still mailed a link to the application page, not to the administrators’ one', async () => {
    expect((await api(server, 'POST', '/applications/REV/environments/test/approval', { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    const texts = (await mailTo(server, ada.user.email)).map((m) => m.text);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const text of texts) {
      expect(text).toContain(`${issuer}/applications/REV`);
      expect(text).not.toContain('/admin/');
    }
  });

  it('the OpenAPI document describes the requester and the request time', async () => {
    const doc = await api<{ paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> }>(server, 'GET', '/api/openapi.json');
    const schema = resolveRef(doc.body, doc.body.paths['/api/v1/applications/{acronym}']?.get?.responses['200']?.content['application/json']?.schema);
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['requester', 'requested_at']));
  });
});
