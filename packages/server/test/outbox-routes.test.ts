import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../src/domain/mail/enqueue-mail.js';
import { renderMail } from '../src/domain/mail/render-mail.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

interface OutboxPage {
  items: { id: string; to: string; subject: string; text: string; status: string; attempts: number; last_error: string | null; created_at: string; sent_at: string | null }[];
  next_cursor: string | null;
}

describe('GET /api/v1/outbox', () => {
  let server: TestServer;
  let admin: string;
  const ids: string[] = [];
  const T = Date.now() - 60_000; // a minute ago: due

  beforeAll(async () => {
    // No LATCHKEY_SMTP_URL: delivery writes to the log and marks mail `logged`.
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_MAIL_POLL_MS: '600000' } });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 5; i++) {
      const body = renderMail({ paragraphs: [`Message ${i}`] });
      const mail = await server.runtime.storage.transaction((tx) => enqueueMail(tx, { to: `user${i}@example.org`, subject: `Subject ${i}`, ...body }, { now: T + i, random: server.runtime.random }));
      ids.push(mail.id);
    }
  });
  afterAll(async () => server?.dispose());

  it('lists mail newest first for administrators, with status, attempts and times', async () => {
    const response = await api<OutboxPage>(server, 'GET', '/outbox', { cookie: admin });
    expect(response.status).toBe(200);
    const mine = response.body.items.filter((m) => ids.includes(m.id));
    expect(mine.map((m) => m.subject)).toStrictEqual(['Subject 4', 'Subject 3', 'Subject 2', 'Subject 1', 'Subject 0']);
    expect(mine[0]).toStrictEqual({
      id: ids[4],
      kind: 'notice',
      to: 'user4@example.org',
      subject: 'Subject 4',
      text: 'Message 4',
      status: 'queued',
      attempts: 0,
      last_error: null,
      next_attempt_at: new Date(T + 4).toISOString(),
      created_at: new Date(T + 4).toISOString(),
      sent_at: null,
    });
  });

  it('pages with limit and next_cursor, and filters by status', async () => {
    const first = await api<OutboxPage>(server, 'GET', '/outbox?limit=2', { cookie: admin });
    expect(first.body.items.map((m) => m.id)).toStrictEqual([ids[4], ids[3]]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api<OutboxPage>(server, 'GET', `/outbox?limit=2&cursor=${first.body.next_cursor}`, { cookie: admin });
    expect(second.body.items.map((m) => m.id)).toStrictEqual([ids[2], ids[1]]);

    await server.runtime.deliverMail();
    const logged = await api<OutboxPage>(server, 'GET', '/outbox?status=logged&limit=200', { cookie: admin });
    expect(logged.body.items.filter((m) => ids.includes(m.id)).map((m) => [m.status, m.attempts])).toStrictEqual(Array.from({ length: 5 }, () => ['logged', 1]));
    expect(logged.body.items.every((m) => m.sent_at !== null)).toBe(true);
    const queued = await api<OutboxPage>(server, 'GET', '/outbox?status=queued', { cookie: admin });
    expect(queued.body.items.filter((m) => ids.includes(m.id))).toStrictEqual([]);
  });

  it('says what to fix for a bad status, limit or cursor', async () => {
    for (const query of ['status=lost', 'limit=0', 'limit=201', 'cursor=not-ours']) {
      const response = await api<{ detail: string; fields?: { field: string }[] }>(server, 'GET', `/outbox?${query}`, { cookie: admin });
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('is for administrators only', async () => {
    expect((await api(server, 'GET', '/outbox')).status).toBe(401);
    const user = await provisionUser(server.runtime, { roles: ['pat'] });
    const cookie = await logIn(server, user.email, USER_PASSWORD);
    const response = await api<{ detail: string }>(server, 'GET', '/outbox', { cookie });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain('admin');
  });
});
