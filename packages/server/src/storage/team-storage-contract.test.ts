import { expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { Application } from '../domain/applications/application.js';
import type { User } from '../domain/users/user.js';
import type { Invitation } from '../domain/invitations/invitation.js';
import type { EnvironmentRegistration } from '../domain/environments/environment-registration.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { application, T, uid } from '../../test/support/storage-rows.js';

// The contract of the application, team and registration stores, on both adapters; the concurrency
// guarantees are checked with two connections (separate pools, as two processes have).
const invitation = (app: Application, over: Partial<Invitation> = {}): Invitation => ({
  id: uid('inv_'),
  applicationId: app.id,
  email: `${uid('i')}@example.com`,
  tokenHash: uid('hash-'),
  invitedBy: 'usr_x',
  createdAt: T,
  expiresAt: T + 1000,
  acceptedAt: null,
  acceptedBy: null,
  ...over,
});
const registration = (app: Application, over: Partial<EnvironmentRegistration> = {}): EnvironmentRegistration => ({
  id: uid('reg_'),
  applicationId: app.id,
  env: 'prod',
  status: 'pending',
  name: 'n',
  description: '',
  services: [{ key: 'email', scopes: ['email:send'] }, { key: 'sms' }],
  requestedBy: 'usr_x',
  requestedAt: T,
  decidedBy: null,
  decidedAt: null,
  reason: null,
  clientId: null,
  ...over,
});

const outcome = (r: PromiseSettledResult<unknown>): unknown =>
  r.status === 'fulfilled' ? r.value : r.reason instanceof DomainError ? r.reason.code : String(r.reason);

describeStorageContract('team storage contract', ({ one: s, two: other, seed }) => {
  async function appWithMembers(count: number): Promise<{ app: Application; users: User[] }> {
    const app = await seed.application();
    const users: User[] = [];
    for (let i = 0; i < count; i++) {
      const u = await seed.user();
      await s.members.add({ applicationId: app.id, userId: u.id, role: i === 0 ? 'owner' : 'member', joinedAt: T + i });
      users.push(u);
    }
    return { app, users };
  }

  it('applications: requester and decision round trip; lastRequestedBy finds the newest request', async () => {
    const requester = uid('usr_');
    const first = application({ requestedBy: requester, createdAt: T });
    const second = application({ requestedBy: requester, createdAt: T + 5, name: 'Second' });
    await s.applications.create(first);
    await s.applications.create(second);
    expect(await s.applications.lastRequestedBy(requester)).toStrictEqual(second);
    expect(await s.applications.lastRequestedBy('usr_nobody')).toBeNull();
    const decided = await s.applications.decide(first.id, { status: 'rejected', reason: 'unknown team', by: 'usr_admin', at: T + 9 });
    expect(decided).toStrictEqual({ ...first, status: 'rejected', decisionReason: 'unknown team', decidedBy: 'usr_admin', decidedAt: T + 9, updatedAt: T + 9 });
    expect(await s.applications.getByAcronym(first.acronym)).toStrictEqual(decided);
    expect(await s.applications.decide(first.id, { status: 'approved', reason: null, by: 'usr_admin', at: T + 10 })).toBeNull();
    expect(await s.applications.reopen(second.id, { name: 'x', description: 'y', requestedBy: requester, at: T + 11 })).toBeNull();
    const reopened = await s.applications.reopen(first.id, { name: 'Again', description: 'd2', requestedBy: 'usr_other', at: T + 12 });
    expect(reopened).toStrictEqual({ ...first, name: 'Again', description: 'd2', requestedBy: 'usr_other', requestedAt: T + 12, updatedAt: T + 12 });
    expect(await s.applications.get(first.id)).toStrictEqual(reopened);
  });

  it('applications: page by acronym, filtered by status and membership', async () => {
    const { app: mine, users } = await appWithMembers(1);
    const u = users[0] as User;
    const approved = application({ status: 'approved' });
    await s.applications.create(approved);
    await s.members.add({ applicationId: approved.id, userId: u.id, role: 'member', joinedAt: T });
    await s.applications.create(application());
    const theirs = await s.applications.page({ limit: 10, memberId: u.id });
    expect(theirs.map((a) => a.id).sort()).toStrictEqual([mine.id, approved.id].sort());
    expect((await s.applications.page({ limit: 10, memberId: u.id, status: 'approved' })).map((a) => a.id)).toStrictEqual([approved.id]);
    const all = await s.applications.page({ limit: 200 });
    expect(all.map((a) => a.acronym)).toStrictEqual(all.map((a) => a.acronym).sort());
    const [firstOne] = await s.applications.page({ limit: 1 });
    const next = await s.applications.page({ limit: 1, after: firstOne?.acronym ?? '' });
    expect(next[0]?.acronym).toBe(all[1]?.acronym);
  });

  it('members: add once, list with email and name in joining order, get', async () => {
    const { app, users } = await appWithMembers(2);
    expect(await s.members.add({ applicationId: app.id, userId: (users[0] as User).id, role: 'member', joinedAt: T + 50 })).toBe(false);
    const listed = await s.members.list(app.id);
    expect(listed.map((m) => [m.userId, m.email, m.name, m.role, m.joinedAt])).toStrictEqual(
      users.map((u, i) => [u.id, u.email, u.name, i === 0 ? 'owner' : 'member', T + i]),
    );
    expect(await s.members.get(app.id, (users[1] as User).id)).toStrictEqual({ applicationId: app.id, userId: (users[1] as User).id, role: 'member', joinedAt: T + 1 });
    expect(await s.members.get(app.id, 'usr_nobody')).toBeNull();
  });

  it('members: remove answers removed, not_member, and never removes the last one', async () => {
    const { app, users } = await appWithMembers(2);
    const [a, b] = users as [User, User];
    expect(await s.members.remove(app.id, 'usr_nobody')).toBe('not_member');
    expect(await s.members.remove(app.id, b.id)).toBe('removed');
    expect(await s.members.remove(app.id, a.id)).toBe('last_member');
    expect((await s.members.list(app.id)).map((m) => m.userId)).toStrictEqual([a.id]);
  });

  it('members: two connections removing the only two members at once leave one', async () => {
    for (let round = 0; round < 3; round++) {
      const { app, users } = await appWithMembers(2);
      const [a, b] = users as [User, User];
      const results = await Promise.allSettled([s.members.remove(app.id, a.id), other.members.remove(app.id, b.id)]);
      expect(results.map(outcome).sort()).toStrictEqual(['last_member', 'removed']);
      expect(await s.members.list(app.id)).toHaveLength(1);
    }
  });

  it('invitations: create, find by token hash, list the open ones, accept once', async () => {
    const app = application();
    await s.applications.create(app);
    const open = invitation(app, { email: 'Mixed@Example.com' });
    const expired = invitation(app, { expiresAt: T - 1 });
    await s.invitations.create(open);
    await s.invitations.create(expired);
    const stored = { ...open, email: 'mixed@example.com' };
    expect(await s.invitations.getByTokenHash(open.tokenHash)).toStrictEqual(stored);
    expect(await s.invitations.getByTokenHash('no-such-hash')).toBeNull();
    expect(await s.invitations.listOpen(app.id, T)).toStrictEqual([stored]);
    expect(await s.invitations.markAccepted(open.id, 'usr_a', T + 1)).toBe(true);
    expect(await s.invitations.markAccepted(open.id, 'usr_b', T + 2)).toBe(false);
    expect(await s.invitations.markAccepted('inv_nothing', 'usr_b', T + 2)).toBe(false);
    expect(await s.invitations.getByTokenHash(open.tokenHash)).toMatchObject({ acceptedAt: T + 1, acceptedBy: 'usr_a' });
    expect(await s.invitations.listOpen(app.id, T)).toStrictEqual([]);
  });

  it('invitations: two connections accepting at once: exactly one gets true', async () => {
    for (let round = 0; round < 3; round++) {
      const app = application();
      await s.applications.create(app);
      const inv = invitation(app);
      await s.invitations.create(inv);
      const results = await Promise.allSettled([s.invitations.markAccepted(inv.id, 'usr_a', T), other.invitations.markAccepted(inv.id, 'usr_b', T)]);
      expect(results.map(outcome).sort()).toStrictEqual([false, true]);
    }
  });

  it('registrations: open, get, list, decide once; a rejected one may be opened again, a pending one not', async () => {
    const app = application({ status: 'approved' });
    await s.applications.create(app);
    const reg = registration(app);
    await s.registrations.open(reg);
    expect(await s.registrations.get(app.id, 'prod')).toStrictEqual(reg);
    expect(await s.registrations.get(app.id, 'dev')).toBeNull();
    await expect(s.registrations.open(registration(app))).rejects.toMatchObject({ code: 'conflict' });
    const rejected = await s.registrations.decide(app.id, 'prod', { status: 'rejected', by: 'usr_admin', at: T + 3, reason: 'not yet', clientId: null });
    expect(rejected).toStrictEqual({ ...reg, status: 'rejected', decidedBy: 'usr_admin', decidedAt: T + 3, reason: 'not yet' });
    expect(await s.registrations.decide(app.id, 'prod', { status: 'approved', by: 'usr_admin', at: T + 4, reason: null, clientId: 'c' })).toBeNull();
    const again = registration(app, { requestedAt: T + 5 });
    await s.registrations.open(again);
    const approved = await s.registrations.decide(app.id, 'prod', { status: 'approved', by: 'usr_admin', at: T + 6, reason: null, clientId: 'cli-1' });
    expect(approved).toMatchObject({ id: again.id, status: 'approved', clientId: 'cli-1' });
    expect(await s.registrations.list(app.id)).toStrictEqual([approved]);
    await expect(s.registrations.open(registration(app))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('registrations: two connections opening the same environment at once: one succeeds, one conflicts', async () => {
    for (let round = 0; round < 3; round++) {
      const app = application({ status: 'approved' });
      await s.applications.create(app);
      const results = await Promise.allSettled([s.registrations.open(registration(app)), other.registrations.open(registration(app))]);
      expect(results.map(outcome).sort()).toStrictEqual(['conflict', undefined]);
      expect(await s.registrations.list(app.id)).toHaveLength(1);
    }
  });

  it('applications: two connections deciding at once: exactly one decision holds', async () => {
    const app = application();
    await s.applications.create(app);
    const results = await Promise.allSettled([
      s.applications.decide(app.id, { status: 'approved', reason: null, by: 'a', at: T }),
      other.applications.decide(app.id, { status: 'rejected', reason: 'no', by: 'b', at: T }),
    ]);
    expect(results.map(outcome).filter((r) => r === null)).toHaveLength(1);
  });
});
