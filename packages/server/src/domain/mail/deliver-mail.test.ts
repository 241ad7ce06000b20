import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import type { Storage } from '../storage.js';
import { DEFAULT_DELIVERY_POLICY, deliverDueMail, MailDeliveryError, retryDelay, type MailTransport } from './deliver-mail.js';
import { enqueueMail } from './enqueue-mail.js';
import { systemRandom } from '../random.js';

// The delivery round against real storage (SQLite in memory) and a transport that records what it is given.
describe('deliverDueMail', () => {
  let database: SqlDatabase;
  let storage: Storage;
  const clock = { now: () => 1_000_000 };
  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
  });
  afterAll(async () => database.close());

  const recording = (fail?: (to: string) => Error | null): MailTransport & { seen: string[] } => {
    const seen: string[] = [];
    return {
      seen,
      deliver(mail) {
        seen.push(mail.to);
        const error = fail?.(mail.to) ?? null;
        return error ? Promise.reject(error) : Promise.resolve('sent');
      },
      close() {},
    };
  };

  it('drains every due message over several batches, and stops claiming when told to', async () => {
    for (let i = 0; i < 5; i++) await enqueueMail(storage, { to: `a${i}@example.org`, subject: 's', text: 't', html: 'h' }, { now: clock.now(), random: systemRandom });
    const policy = { ...DEFAULT_DELIVERY_POLICY, batch: 2 };
    const stopped = recording();
    expect(await deliverDueMail({ storage, clock, transport: stopped, policy, stopping: () => true })).toStrictEqual({ delivered: 2, retrying: 0, failed: 0 });
    const rest = recording();
    expect(await deliverDueMail({ storage, clock, transport: rest, policy })).toStrictEqual({ delivered: 3, retrying: 0, failed: 0 });
    expect([...stopped.seen, ...rest.seen].sort()).toStrictEqual(['a0@example.org', 'a1@example.org', 'a2@example.org', 'a3@example.org', 'a4@example.org']);
  });

  it('retries ordinary failures and fails permanent ones at once; the error is kept', async () => {
    const temporary = await enqueueMail(storage, { to: 'temp@example.org', subject: 's', text: 't', html: 'h' }, { now: clock.now(), random: systemRandom });
    const permanent = await enqueueMail(storage, { to: 'gone@example.org', subject: 's', text: 't', html: 'h' }, { now: clock.now(), random: systemRandom });
    const transport = recording((to) => (to === 'gone@example.org' ? new MailDeliveryError('550 no such user', { permanent: true }) : new Error('connect ETIMEDOUT')));
    expect(await deliverDueMail({ storage, clock, transport })).toStrictEqual({ delivered: 0, retrying: 1, failed: 1 });
    expect(await storage.outbox.get(temporary.id)).toMatchObject({ status: 'queued', lastError: 'connect ETIMEDOUT', nextAttemptAt: clock.now() + 30_000 });
    expect(await storage.outbox.get(permanent.id)).toMatchObject({ status: 'failed', lastError: '550 no such user' });
  });

  it('doubles the delay between attempts, up to the cap', () => {
    expect([1, 2, 3, 7, 8, 20].map((n) => retryDelay(DEFAULT_DELIVERY_POLICY, n))).toStrictEqual([30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});
