import { expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { PersonalToken } from '../domain/personal-tokens/personal-token.js';
import type { User } from '../domain/users/user.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { T, uid } from '../../test/support/storage-rows.js';

// The personal token and user-role parts of the storage contract, on both adapters, including the
// compare-and-set guarantees under real concurrency (two connections to one database).
const token = (owner: User, over: Partial<PersonalToken> = {}): PersonalToken => ({
  id: uid('pat_'),
  userId: owner.id,
  name: uid('ci-'),
  scopes: ['email:read', 'portal:read'],
  expiresAt: T + 86_400_000,
  jti: null,
  generatedAt: null,
  lastUsedAt: null,
  lastUsedFrom: null,
  createdAt: T,
  revokedAt: null,
  revokedBy: null,
  ...over,
});

describeStorageContract('personal token storage', ({ one: s, two: other, seed }) => {
  it('round-trips a record; a second record with the same name for the same user is a conflict, for another user it is not', async () => {
    const ada = await seed.user();
    const bob = await seed.user();
    const record = token(ada, { name: 'deploy — ünïcode' });
    await s.personalTokens.create(record);
    expect(await s.personalTokens.get(record.id)).toStrictEqual(record);
    const error = await s.personalTokens.create(token(ada, { name: record.name })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('conflict');
    await s.personalTokens.create(token(bob, { name: record.name }));
    expect(await s.personalTokens.get('pat_missing')).toBeNull();
    expect(await s.personalTokens.get('nul\u0000id')).toBeNull();
  });

  it('lists the live generations: current jti, not revoked, not expired', async () => {
    const ada = await seed.user();
    const live = token(ada, { jti: 'j-live', generatedAt: T + 1, expiresAt: T + 1_000 });
    const never = token(ada);
    const expired = token(ada, { jti: 'j-old', generatedAt: T + 2, expiresAt: T + 5 });
    const revoked = token(ada, { jti: 'j-rev', generatedAt: T + 3, expiresAt: T + 1_000, revokedAt: T + 4, revokedBy: ada.id });
    for (const t of [live, never, expired, revoked]) await s.personalTokens.create(t);
    const mine = (await other.personalTokens.liveGenerations(T + 10)).filter((g) => g.generatedAt >= T + 1 && g.generatedAt <= T + 3);
    expect(mine).toStrictEqual([{ generatedAt: T + 1, expiresAt: T + 1_000 }]);
  });

  it('lists newest first, by user, with cursor, expiry and last-use filters', async () => {
    const ada = await seed.user();
    const a = token(ada, { expiresAt: T + 10 });
    const b = token(ada, { expiresAt: T + 20, lastUsedAt: T + 5 });
    const c = token(ada, { expiresAt: T + 30, lastUsedAt: T + 50 });
    for (const t of [a, b, c]) await s.personalTokens.create(t);
    const ids = (list: PersonalToken[]) => list.map((t) => t.id);
    expect(ids(await s.personalTokens.list({ userId: ada.id, limit: 10 }))).toStrictEqual([c.id, b.id, a.id]);
    expect(ids(await s.personalTokens.list({ userId: ada.id, limit: 2 }))).toStrictEqual([c.id, b.id]);
    expect(ids(await s.personalTokens.list({ userId: ada.id, limit: 10, before: b.id }))).toStrictEqual([a.id]);
    expect(ids(await s.personalTokens.list({ userId: ada.id, limit: 10, expiresBefore: T + 25 }))).toStrictEqual([b.id, a.id]);
    expect(ids(await s.personalTokens.list({ userId: ada.id, limit: 10, lastUsedBefore: T + 10 }))).toStrictEqual([b.id, a.id]);
    expect(await s.personalTokens.list({ userId: 'usr_nobody', limit: 10 })).toStrictEqual([]);
  });

  it('replaceJti is a compare-and-set: of two connections generating at once, exactly one wins', async () => {
    const ada = await seed.user();
    for (let round = 0; round < 5; round++) {
      const record = token(ada);
      await s.personalTokens.create(record);
      const results = await Promise.all([
        s.personalTokens.replaceJti(record.id, null, { jti: 'one', at: T + 1 }),
        other.personalTokens.replaceJti(record.id, null, { jti: 'two', at: T + 2 }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await s.personalTokens.get(record.id);
      expect(stored?.jti).toBe(results[0] ? 'one' : 'two');
      expect(await s.personalTokens.replaceJti(record.id, stored?.jti ?? null, { jti: 'three', at: T + 3 })).toBe(true);
      expect(await s.personalTokens.replaceJti(record.id, 'one', { jti: 'four', at: T + 4 })).toBe(false);
    }
  });

  it('revoke happens once and stops generating; delete happens once', async () => {
    const ada = await seed.user();
    const record = token(ada);
    await s.personalTokens.create(record);
    const results = await Promise.all([s.personalTokens.revoke(record.id, 'admin-1', T + 1), other.personalTokens.revoke(record.id, 'admin-2', T + 2)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const revoked = await s.personalTokens.get(record.id);
    expect(revoked?.revokedBy).toBe(results[0] ? 'admin-1' : 'admin-2');
    expect(await s.personalTokens.replaceJti(record.id, null, { jti: 'x', at: T })).toBe(false);
    const deleted = await Promise.all([s.personalTokens.delete(record.id), other.personalTokens.delete(record.id)]);
    expect(deleted.filter(Boolean)).toHaveLength(1);
    expect(await s.personalTokens.get(record.id)).toBeNull();
    expect(await s.personalTokens.revoke('pat_missing', 'x', T)).toBe(false);
  });

  it('records uses forward only, with the address', async () => {
    const ada = await seed.user();
    const record = token(ada);
    await s.personalTokens.create(record);
    await s.personalTokens.recordUses([{ id: record.id, at: T + 10, from: '127.0.0.2' }]);
    await s.personalTokens.recordUses([{ id: record.id, at: T + 5, from: '127.0.0.3' }, { id: 'pat_missing', at: T, from: null }]);
    expect(await s.personalTokens.get(record.id)).toMatchObject({ lastUsedAt: T + 10, lastUsedFrom: '127.0.0.2' });
  });

  it('notices: due records within the window, each claimed exactly once', async () => {
    const ada = await seed.user();
    const base = T + 1_000_000_000;
    const soon = token(ada, { expiresAt: base + 100 });
    const later = token(ada, { expiresAt: base + 900 });
    const revoked = token(ada, { expiresAt: base + 100, revokedAt: T, revokedBy: 'x' });
    for (const t of [soon, later, revoked]) await s.personalTokens.create(t);
    const due = await s.personalTokens.dueForNotice('expiry_7d', base, base + 500, 10);
    expect(due.map((t) => t.id)).toStrictEqual([soon.id]);
    const claims = await Promise.all([s.personalTokens.claimNotice(soon.id, 'expiry_7d', T), other.personalTokens.claimNotice(soon.id, 'expiry_7d', T)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await s.personalTokens.dueForNotice('expiry_7d', base, base + 500, 10)).toStrictEqual([]);
    expect((await s.personalTokens.dueForNotice('expiry_1d', base, base + 500, 10)).map((t) => t.id)).toStrictEqual([soon.id]);
  });

  it('users: roles replaced, disabled and re-enabled, listed by email with a role filter', async () => {
    const prefix = uid('list');
    const a = await seed.user({ email: `${prefix}-a@example.com`, roles: [] });
    const b = await seed.user({ email: `${prefix}-b@example.com`, roles: ['pat'] });
    expect(await s.users.setRoles(a.id, ['admin', 'pat'])).toBe(true);
    expect((await s.users.get(a.id))?.roles).toStrictEqual(['admin', 'pat']);
    expect(await s.users.setRoles('usr_missing', [])).toBe(false);
    expect(await s.users.setDisabled(b.id, T + 7)).toBe(true);
    expect((await s.users.get(b.id))?.disabledAt).toBe(T + 7);
    expect(await s.users.setDisabled(b.id, null)).toBe(true);
    const listed = await s.users.list({ limit: 200, after: `${prefix}-` });
    expect(listed.slice(0, 2).map((u) => u.id)).toStrictEqual([a.id, b.id]);
    expect((await s.users.list({ limit: 1, after: `${prefix}-a@example.com` }))[0]?.id).toBe(b.id);
    const admins = await s.users.list({ limit: 200, role: 'admin', after: `${prefix}-` });
    expect(admins.map((u) => u.id)).toContain(a.id);
    expect(admins.map((u) => u.id)).not.toContain(b.id);
  });

  it('audit: filters by action prefix', async () => {
    const tag = uid('t');
    await s.audit.append({ at: T, actor: 'x', address: null, action: 'personal_token.created', target: tag, details: {} });
    await s.audit.append({ at: T, actor: 'x', address: null, action: 'client.created', target: tag, details: {} });
    await s.audit.append({ at: T, actor: 'x', address: null, action: 'user.roles_changed', target: tag, details: {} });
    const listed = await s.audit.list({ limit: 3, actionPrefixes: ['personal_token.', 'user.roles'] });
    expect(listed.filter((e) => e.target === tag).map((e) => e.action)).toStrictEqual(['user.roles_changed', 'personal_token.created']);
  });
});
