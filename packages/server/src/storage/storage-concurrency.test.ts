import { expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { storageInAnotherThread, type ThreadOutcome } from '../../test/support/databases.js';
import { deferred } from '../../test/support/deferred.js';
import { describeStorageContract, until } from '../../test/support/storage-contract.js';
import { client, FAR, uid } from '../../test/support/storage-rows.js';

// The storage contract under concurrency: separate connections (as separate processes have) to one
// database. Whichever side holds the lock keeps it until the other is seen waiting for it (see
// `waitingForLock`), never for a while: so each test shows the wait itself, on a busy machine too, and one
// whose lock did not hold finds the other already through, and fails.
const TASKS = {
  createClient: 'async (storage, client, tell) => { tell("creating"); await storage.clients.create(client); }',
  // What the change log stood at once the lock was had: a transaction that waited sees the one it waited for.
  lockedRead: 'async (storage, _, tell) => storage.transaction(async (tx) => { tell("locking"); await tx.lockExclusive(); return tx.changes.latest(); })',
} as const;

const outcome = (r: PromiseSettledResult<unknown>): string =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof DomainError ? r.reason.code : `${(r.reason as { code?: string }).code ?? ''} ${(r.reason as Error).message}`;

const threadOutcome = (r: ThreadOutcome<unknown>): string => (r.ok ? 'ok' : (r.code ?? r.message));

describeStorageContract('storage concurrency', (fx) => {
  const { one, two, seed } = fx;

  it('two connections create a client for the same application and environment: one succeeds, one conflicts', async () => {
    for (let round = 0; round < 3; round++) {
      const app = await seed.application();
      const seq = await one.changes.latest();
      const results = await Promise.allSettled([one.clients.create(client(app)), two.clients.create(client(app))]);
      expect(results.map(outcome).sort()).toStrictEqual(['conflict', 'ok']);
      expect(await two.clients.list({ acronym: app.acronym })).toHaveLength(1);
      expect(await one.changes.since(seq, 10)).toHaveLength(1);
    }
  });

  it('lockExclusive on two connections: the second transaction waits until the first commits', async () => {
    const events: string[] = [];
    const firstHoldsLock = deferred<void>();
    const release = deferred<void>();
    const first = one.transaction(async (tx) => {
      await tx.lockExclusive();
      events.push('first locked');
      firstHoldsLock.resolve();
      await release.promise;
      events.push('first done');
    });
    await firstHoldsLock.promise;
    const held = await fx.lockTaken();
    const second = two.transaction(async (tx) => {
      await tx.lockExclusive();
      events.push('second locked');
    });
    try {
      await until(async () => events.includes('second locked') || (await fx.waitingForLock()), 'the second transaction waiting for the lock');
    } finally {
      release.resolve();
    }
    const results = await Promise.allSettled([first, second]);
    expect(held, 'the first transaction held the lock').toBe(true);
    expect(results.map(outcome)).toStrictEqual(['ok', 'ok']);
    expect(events).toStrictEqual(['first locked', 'first done', 'second locked']);
  });

  it('concurrent transactions on one connection that take lockExclusive run one at a time', async () => {
    const inside: number[] = [];
    let overlap = 0;
    let finished = 0;
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        one.transaction(async (tx) => {
          await tx.lockExclusive();
          inside.push(i);
          overlap = Math.max(overlap, inside.length);
          // Held until another of the four queues behind it (none is left to, after the third), so one that
          // ran beside it would show.
          if (finished < 3) await until(async () => overlap > 1 || (await fx.waitingForLock()), 'another transaction waiting for the lock');
          inside.splice(inside.indexOf(i), 1);
          finished++;
        }),
      ),
    );
    expect(overlap).toBe(1);
  });

  it('a client created from another thread (as another process would) races: one succeeds, one conflicts', async () => {
    const app = await seed.application();
    const other = storageInAnotherThread<undefined>(fx.url, TASKS.createClient, client(app));
    await other.ready;
    let theirsSettled = false;
    const theirs = other.done.finally(() => (theirsSettled = true));
    // This side takes the write lock first and holds it until the other one waits for it, so it really has to.
    const mine = one.transaction(async (tx) => {
      await tx.lockExclusive();
      other.go();
      expect(await fx.lockTaken(), 'this side holds the lock').toBe(true);
      await other.heard('creating');
      await until(async () => theirsSettled || (await fx.waitingForLock()), 'the other thread waiting for the lock');
      await tx.clients.create(client(app));
    });
    const [m, t] = await Promise.all([mine.then(() => 'ok', (e: unknown) => outcome({ status: 'rejected', reason: e })), theirs]);
    expect([m, threadOutcome(t)]).toStrictEqual(['ok', 'conflict']);
  });

  it('lockExclusive holds off a transaction on another thread until commit', async () => {
    const other = storageInAnotherThread<number>(fx.url, TASKS.lockedRead, null);
    await other.ready;
    let theirsSettled = false;
    const theirs = other.done.finally(() => (theirsSettled = true));
    let committed = 0;
    await one.transaction(async (tx) => {
      await tx.lockExclusive();
      expect(await fx.lockTaken(), 'this side holds the lock').toBe(true);
      other.go();
      await other.heard('locking');
      await until(async () => theirsSettled || (await fx.waitingForLock()), 'the other thread waiting for the lock');
      // A change made under the lock: the other thread sees it only if it got the lock after this commit.
      await tx.revocations.add({ jti: uid('jti-'), expiresAt: FAR });
      committed = await tx.changes.latest();
    });
    expect(await theirs).toStrictEqual({ ok: true, value: committed });
  });
});
