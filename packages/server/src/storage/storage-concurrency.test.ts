import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { Storage } from '../domain/storage.js';
import type { Application } from '../domain/applications/application.js';
import type { Client } from '../domain/clients/client.js';
import { freshWithTwoConnections, storageBackends, storageInAnotherThread, type FreshDatabase } from '../../test/support/databases.js';

// The storage contract under concurrency: separate connections (as separate processes have) to one database.
const backends = await storageBackends('storage concurrency');

const T = 1_750_000_000_000;
let n = 0;
const uid = (prefix: string): string => `${prefix}${(++n).toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function application(): Application {
  return { id: uid('app_'), acronym: uid('C').toUpperCase(), name: 'n', description: '', status: 'approved', createdAt: T, updatedAt: T, requestedBy: null, requestedAt: T, decisionReason: null, decidedBy: null, decidedAt: null };
}

function client(app: Application): Client {
  return {
    clientId: uid('cli-'),
    applicationId: app.id,
    acronym: app.acronym,
    env: 'dev',
    enabled: true,
    tokenTtl: 600,
    grants: [],
    secrets: [{ id: uid('sec_'), hash: 'h', createdAt: T, expiresAt: null, lastUsedAt: null }],
    createdAt: T,
    updatedAt: T,
    rotatedAt: null,
    lastUsedAt: null,
  };
}

const TASKS = {
  createClient: 'async (storage, client) => { await storage.clients.create(client); }',
  lockedWrite: 'async (storage) => { let lockedAt; await storage.transaction(async (tx) => { await tx.lockExclusive(); lockedAt = Date.now(); }); return lockedAt; }',
} as const;

/** A connection on another thread, as another process would have, that runs one task and reports what happened. */
function inAnotherThread(url: string, task: keyof typeof TASKS, arg: unknown): { ready: Promise<void>; go: () => void; done: Promise<{ ok: boolean; code?: string; message?: string; lockedAt?: number }> } {
  const thread = storageInAnotherThread<number | undefined>(url, TASKS[task], arg);
  return { ...thread, done: thread.done.then((r) => (r.ok ? { ok: true, lockedAt: r.value } : r)) };
}

const outcome = (r: PromiseSettledResult<unknown>): string =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof DomainError ? r.reason.code : `${(r.reason as { code?: string }).code ?? ''} ${(r.reason as Error).message}`;

describe.each(backends)('storage concurrency on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.name, () => {
    let fresh: FreshDatabase;
    let one: Storage;
    let two: Storage;

    beforeAll(async () => {
      ({ fresh, one, two } = await freshWithTwoConnections(backend));
    });
    afterAll(async () => fresh?.drop());

    it('two connections create a client for the same application and environment: one succeeds, one conflicts', async () => {
      for (let round = 0; round < 3; round++) {
        const app = application();
        await one.applications.create(app);
        const seq = await one.changes.latest();
        const results = await Promise.allSettled([one.clients.create(client(app)), two.clients.create(client(app))]);
        expect(results.map(outcome).sort()).toStrictEqual(['conflict', 'ok']);
        expect(await two.clients.list({ acronym: app.acronym })).toHaveLength(1);
        expect(await one.changes.since(seq, 10)).toHaveLength(1);
      }
    });

    it('lockExclusive on two connections: the second transaction waits until the first commits', async () => {
      const events: string[] = [];
      let firstHoldsLock!: () => void;
      const locked = new Promise<void>((resolve) => (firstHoldsLock = resolve));
      const first = one.transaction(async (tx) => {
        await tx.lockExclusive();
        events.push('first locked');
        firstHoldsLock();
        await sleep(150);
        events.push('first done');
      });
      await locked;
      const second = two.transaction(async (tx) => {
        await tx.lockExclusive();
        events.push('second locked');
      });
      const results = await Promise.allSettled([first, second]);
      expect(results.map(outcome)).toStrictEqual(['ok', 'ok']);
      expect(events).toStrictEqual(['first locked', 'first done', 'second locked']);
    });

    it('concurrent transactions on one connection that take lockExclusive run one at a time', async () => {
      const inside: number[] = [];
      let overlap = 0;
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          one.transaction(async (tx) => {
            await tx.lockExclusive();
            inside.push(i);
            overlap = Math.max(overlap, inside.length);
            await sleep(20);
            inside.splice(inside.indexOf(i), 1);
          }),
        ),
      );
      expect(overlap).toBe(1);
    });

    it('a client created from another thread (as another process would) races: one succeeds, one conflicts', async () => {
      const app = application();
      await one.applications.create(app);
      const other = inAnotherThread(fresh.url, 'createClient', client(app));
      await other.ready;
      // This side takes the write lock first and holds it a while, so the other one really has to wait.
      const mine = one.transaction(async (tx) => {
        await tx.lockExclusive();
        other.go();
        await sleep(150);
        await tx.clients.create(client(app));
      });
      const [m, theirs] = await Promise.all([mine.then(() => 'ok', (e: unknown) => outcome({ status: 'rejected', reason: e })), other.done]);
      expect([m, theirs.ok ? 'ok' : theirs.code]).toStrictEqual(['ok', 'conflict']);
    });

    it('lockExclusive holds off a transaction on another thread until commit', async () => {
      const other = inAnotherThread(fresh.url, 'lockedWrite', null);
      await other.ready;
      let committedAt = 0;
      await one.transaction(async (tx) => {
        await tx.lockExclusive();
        other.go();
        await sleep(150);
        committedAt = Date.now();
      });
      const theirs = await other.done;
      expect(theirs).toMatchObject({ ok: true });
      expect(theirs.lockedAt).toBeGreaterThanOrEqual(committedAt);
    });
  });
});
