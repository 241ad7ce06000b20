import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import type { Session } from '../domain/sessions/session.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { T } from '../../test/support/storage-rows.js';

// The sessions port, on both adapters (the same contract the storage suite applies to the other stores).
describeStorageContract('session store', ({ one: storage, seed }) => {
  let userId: string;
  beforeEach(async () => {
    ({ id: userId } = await seed.user());
  });

  const session = (over: Partial<Session> = {}): Session => ({
    id: randomUUID(),
    userId,
    secretHash: 'hmac-sha256$k$abc',
    createdAt: T,
    lastSeenAt: T,
    expiresAt: T + 1_000_000,
    address: '127.0.0.1',
    userAgent: null,
    ...over,
  });

  it('stores, reads back (times beyond 2^32 intact), touches forward only, and deletes once', async () => {
    const s = session();
    await storage.sessions.create(s);
    expect(await storage.sessions.get(s.id)).toEqual(s);
    await storage.sessions.touch(s.id, T + 500);
    await storage.sessions.touch(s.id, T + 100);
    expect((await storage.sessions.get(s.id))?.lastSeenAt).toBe(T + 500);
    expect(await storage.sessions.delete(s.id)).toBe(true);
    expect(await storage.sessions.delete(s.id)).toBe(false);
    expect(await storage.sessions.get(s.id)).toBeNull();
    expect(await storage.sessions.get('nul\u0000id')).toBeNull();
  });

  it('deletes every session of a user, and prunes expired and idle ones only', async () => {
    const live = session({ lastSeenAt: T + 900 });
    const idle = session({ lastSeenAt: T });
    const expired = session({ lastSeenAt: T + 900, expiresAt: T + 950 });
    for (const s of [live, idle, expired]) await storage.sessions.create(s);
    expect(await storage.sessions.prune(T + 1_000, T + 500)).toBe(2);
    expect(await storage.sessions.get(live.id)).not.toBeNull();
    await storage.sessions.create(session());
    expect(await storage.sessions.deleteForUser(userId)).toBe(2);
    expect(await storage.sessions.get(live.id)).toBeNull();
  });
});
