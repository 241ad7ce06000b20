import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';
import { enqueueMail } from './enqueue-mail.js';
import { renderMail } from './render-mail.js';
import { systemRandom } from '../random.js';

describe('enqueueMail', () => {
  let database: SqlDatabase;
  let storage: Storage;
  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
  });
  afterAll(async () => database.close());

  it('queues the message, due at once, in the caller transaction', async () => {
    const body = renderMail({ greeting: 'Hello,', paragraphs: ['Your request arrived.'] });
    const mail = await storage.transaction((tx) => enqueueMail(tx, { to: ' ada@example.com ', subject: 'Request\r\nBcc: x@evil.test', ...body, kind: 'application.requested' }, { now: 1_000, random: systemRandom }));
    expect(await storage.outbox.get(mail.id)).toStrictEqual({
      id: mail.id,
      kind: 'application.requested',
      to: 'ada@example.com',
      subject: 'Request Bcc: x@evil.test',
      text: body.text,
      html: body.html,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: 1_000,
      lastError: null,
      createdAt: 1_000,
      sentAt: null,
    });
    const rolledBack = await storage
      .transaction(async (tx) => {
        const queued = await enqueueMail(tx, { to: 'ada@example.com', subject: 's', text: 't', html: 'h' }, { now: 1_000, random: systemRandom });
        throw Object.assign(new Error('boom'), { queued });
      })
      .catch((error: { queued: { id: string } }) => error.queued);
    expect(await storage.outbox.get(rolledBack.id)).toBeNull();
  });

  it('refuses anything but one plain address (no lists, display names or header breaks)', async () => {
    for (const to of ['', 'ada', 'a@b.c, d@e.f', 'Ada <ada@example.com>', 'ada@example.com\r\nBcc: x@y.z']) {
      const error = await enqueueMail(storage, { to, subject: 's', text: 't', html: 'h' }, { now: 1, random: systemRandom }).catch((e: unknown) => e);
      expect(error, to).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('bad_request');
    }
  });
});
