import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

// A feature's mail, end to end: a portal request queues it in its transaction, the serving process's mail
// loop delivers it to a real SMTP server, and the outbox shows it sent.
describe('mail from a portal journey', () => {
  let smtp: SmtpPeer;
  let server: TestServer;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_SMTP_URL: smtp.url, LATCHKEY_MAIL_POLL_MS: '20' } });
  });
  afterAll(async () => {
    await server?.dispose();
    await smtp?.close();
  });

  it('an application request mails the administrators a link to its review page, and the outbox shows it sent', async () => {
    const user = await provisionUser(server.runtime);
    const cookie = await logIn(server, user.email, USER_PASSWORD);
    const created = await api(server, 'POST', '/applications', { cookie, body: { acronym: 'MAILJ', name: 'Mail journey' } });
    expect(created.status).toBe(201);

    while (!smtp.received.some((m) => m.to.includes(ADMIN.email))) await new Promise((resolve) => setTimeout(resolve, 20));
    const mail = smtp.received.find((m) => m.to.includes(ADMIN.email));
    expect(mail?.raw).toContain('MAILJ');
    expect(mail?.raw).toContain(`${server.runtime.config.issuer}/admin/requests/MAILJ`);

    const admin = await logIn(server, ADMIN.email, ADMIN.password);
    const outbox = await api<{ items: { to: string; subject: string; status: string }[] }>(server, 'GET', '/outbox', { cookie: admin });
    expect(outbox.body.items.find((m) => m.to === ADMIN.email && m.subject.includes('MAILJ'))?.status).toBe('sent');
  });
});
