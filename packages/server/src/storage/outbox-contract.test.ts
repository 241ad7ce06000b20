import { expect, it } from 'vitest';
import type { Storage } from '../domain/storage.js';
import type { OutboxMail } from '../domain/mail/outbox.js';
import { storageInAnotherThread } from '../../test/support/databases.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { FAR, uid } from '../../test/support/storage-rows.js';

// The OutboxStore part of the storage contract, on both adapters. Mail is due only where a test says so
// (else in 2100), and each test keeps to a time window of its own.

const mail = (createdAt: number, over: Partial<OutboxMail> = {}): OutboxMail => ({
  id: uid('mail-'),
  kind: 'invitation',
  to: 'ada@example.com',
  subject: 'Join “BILLING” — ünïcode',
  text: 'Hello\n\nhttps://latchkey.example/invitations/abc',
  html: '<p>Hello</p>',
  status: 'queued',
  attempts: 0,
  nextAttemptAt: FAR,
  lastError: null,
  createdAt,
  sentAt: null,
  ...over,
});

/** Claims every due message in a window from another thread (its own event loop and connection, as another process has). */
function claimInAnotherThread(url: string, now: number): { ready: Promise<void>; go: () => void; done: Promise<string[]> } {
  const thread = storageInAnotherThread<string[]>(
    url,
    `async (storage, now) => {
      const ids = [];
      for (;;) {
        const batch = await storage.outbox.claimDue(now, now + 60000, 3);
        if (batch.length === 0) return ids;
        ids.push(...batch.map((m) => m.id));
      }
    }`,
    now,
  );
  const done = thread.done.then((r) => {
    if (!r.ok) throw new Error(`claiming thread failed: ${JSON.stringify(r)}`);
    return r.value;
  });
  return { ...thread, done };
}

describeStorageContract('outbox contract', (fx) => {
  const { one: s, two: other } = fx;
  it('add/get round trip; list newest first, filtered by status, paged by cursor', async () => {
    const T = 1_000_000_000_000;
    const a = mail(T);
    const b = mail(T + 1, { status: 'sent', attempts: 1, sentAt: T + 5, lastError: 'earlier: 451' });
    const c = mail(T + 1);
    const d = mail(T + 2);
    for (const m of [a, b, c, d]) await s.outbox.add(m);
    expect(await s.outbox.get(a.id)).toStrictEqual(a);
    expect(await s.outbox.get(b.id)).toStrictEqual(b);
    expect(await s.outbox.get('no-such-mail')).toBeNull();
    expect(await s.outbox.get('a\u0000b')).toBeNull();

    const mine = (list: OutboxMail[]) => list.filter((m) => [a, b, c, d].some((x) => x.id === m.id)).map((m) => m.id);
    const sameTime = [b.id, c.id].sort().reverse(); // ties on created_at: by id, descending
    const all = await s.outbox.list({ limit: 200 });
    expect(mine(all)).toStrictEqual([d.id, ...sameTime, a.id]);
    const first = await s.outbox.list({ limit: 2, after: { createdAt: T + 3, id: '' } });
    expect(first.map((m) => m.id)).toStrictEqual([d.id, sameTime[0]]);
    const last = first[1]!;
    const second = await s.outbox.list({ limit: 2, after: { createdAt: last.createdAt, id: last.id } });
    expect(second.map((m) => m.id)).toStrictEqual([sameTime[1], a.id]);
    expect(mine(await s.outbox.list({ limit: 200, status: 'sent' }))).toStrictEqual([b.id]);
  });

  it('claimDue takes due queued mail oldest first, counts the attempt and leases it; settle records the outcome once', async () => {
    const T = 2_000_000_000_000;
    const early = mail(T, { nextAttemptAt: T });
    const later = mail(T + 10, { nextAttemptAt: T + 10 });
    const future = mail(T + 20, { nextAttemptAt: T + 1_000 });
    const done = mail(T, { status: 'sent', sentAt: T });
    for (const m of [future, later, early, done]) await s.outbox.add(m);

    expect(await s.outbox.claimDue(T + 500, T + 60_000, 1)).toStrictEqual([{ ...early, attempts: 1, nextAttemptAt: T + 60_000 }]);
    const [claimed] = await s.outbox.claimDue(T + 500, T + 60_000, 10);
    expect(claimed?.id).toBe(later.id);
    expect(await s.outbox.claimDue(T + 500, T + 60_000, 10)).toStrictEqual([]);

    // Stale attempt numbers change nothing (the lease was taken over); the right one settles once.
    expect(await s.outbox.settle(early.id, 0, { status: 'sent', at: T + 600 })).toBe(false);
    expect(await s.outbox.settle(early.id, 1, { status: 'sent', at: T + 600 })).toBe(true);
    expect(await s.outbox.settle(early.id, 1, { status: 'failed', error: 'late' })).toBe(false);
    expect(await s.outbox.get(early.id)).toMatchObject({ status: 'sent', sentAt: T + 600, attempts: 1 });

    // A retry keeps it queued with the error, due again at retryAt.
    expect(await s.outbox.settle(later.id, 1, { status: 'queued', error: '421 try later', retryAt: T + 700 })).toBe(true);
    expect(await s.outbox.get(later.id)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: T + 700, lastError: '421 try later', sentAt: null });
    expect(await s.outbox.claimDue(T + 699, T + 60_000, 10)).toStrictEqual([]);
    expect((await s.outbox.claimDue(T + 1_000, T + 60_000, 10)).map((m) => [m.id, m.attempts])).toStrictEqual([
      [later.id, 2],
      [future.id, 1],
    ]);
    expect(await s.outbox.settle(later.id, 2, { status: 'failed', error: '550 no such user' })).toBe(true);
    expect(await s.outbox.get(later.id)).toMatchObject({ status: 'failed', attempts: 2, lastError: '550 no such user' });
    expect(await s.outbox.settle(future.id, 1, { status: 'logged', at: T + 1_000 })).toBe(true);
    expect(await s.outbox.get(future.id)).toMatchObject({ status: 'logged', sentAt: T + 1_000 });

    // An expired lease makes the message due again: its claimant is presumed dead.
    const orphan = mail(T + 30, { nextAttemptAt: T + 30 });
    await s.outbox.add(orphan);
    expect(await s.outbox.claimDue(T + 2_000, T + 3_000, 10)).toHaveLength(1);
    expect(await s.outbox.claimDue(T + 2_999, T + 9_000, 10)).toStrictEqual([]);
    expect((await s.outbox.claimDue(T + 3_000, T + 9_000, 10)).map((m) => [m.id, m.attempts])).toStrictEqual([[orphan.id, 2]]);
    expect(await s.outbox.settle(orphan.id, 1, { status: 'sent', at: T })).toBe(false);
    expect(await s.outbox.settle(orphan.id, 2, { status: 'sent', at: T })).toBe(true);
  });

  it('enqueued mail joins the caller transaction: a rollback leaves no mail', async () => {
    const T = 3_000_000_000_000;
    const kept = mail(T);
    const dropped = mail(T);
    await s.transaction(async (tx) => tx.outbox.add(kept));
    await expect(
      s.transaction(async (tx) => {
        await tx.outbox.add(dropped);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.outbox.get(kept.id)).not.toBeNull();
    expect(await s.outbox.get(dropped.id)).toBeNull();
  });

  it('prune deletes settled mail created before the cutoff, never queued mail', async () => {
    const T = 50_000; // below every other test's window
    const old = [mail(T, { status: 'sent', sentAt: T }), mail(T, { status: 'logged', sentAt: T }), mail(T, { status: 'failed' })];
    const waiting = mail(T);
    const recent = mail(T + 10_000, { status: 'sent', sentAt: T + 10_000 });
    for (const m of [...old, waiting, recent]) await s.outbox.add(m);
    expect(await s.outbox.prune(T + 1)).toBe(3);
    for (const m of old) expect(await s.outbox.get(m.id)).toBeNull();
    expect(await s.outbox.get(waiting.id)).not.toBeNull();
    expect(await s.outbox.get(recent.id)).not.toBeNull();
    expect(await s.outbox.prune(T + 1)).toBe(0);
  });

  it('counts messages per status, every status included', async () => {
    const before = await s.outbox.countByStatus();
    const T = 7_000_000_000_000;
    for (const m of [mail(T), mail(T), mail(T, { status: 'failed', attempts: 8, lastError: '550' }), mail(T, { status: 'logged', attempts: 1, sentAt: T })]) await s.outbox.add(m);
    const after = await other.outbox.countByStatus();
    expect(Object.keys(after).sort()).toStrictEqual(['failed', 'logged', 'queued', 'sent']);
    expect({ queued: after.queued - before.queued, sent: after.sent - before.sent, logged: after.logged - before.logged, failed: after.failed - before.failed }).toStrictEqual({
      queued: 2,
      sent: 0,
      logged: 1,
      failed: 1,
    });
  });

  it('concurrent claimants (two connections and another thread) never get the same message', async () => {
    const T = 4_000_000_000_000;
    const all = Array.from({ length: 30 }, (_, i) => mail(T + i, { nextAttemptAt: T + i }));
    for (const m of all) await s.outbox.add(m);
    const thread = claimInAnotherThread(fx.url, T + 100);
    await thread.ready;
    const drain = async (store: Storage): Promise<string[]> => {
      const ids: string[] = [];
      for (;;) {
        const batch = await store.outbox.claimDue(T + 100, T + 60_000, 3);
        if (batch.length === 0) return ids;
        ids.push(...batch.map((m) => m.id));
      }
    };
    thread.go();
    const [mine, theirs, elsewhere] = await Promise.all([drain(s), drain(other), thread.done]);
    const claimed = [...mine, ...theirs, ...elsewhere];
    expect(claimed.sort()).toStrictEqual(all.map((m) => m.id).sort());
    expect(new Set(claimed).size).toBe(claimed.length);
    for (const m of all) expect((await s.outbox.get(m.id))?.attempts).toBe(1);
  });
});
