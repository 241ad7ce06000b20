import { expect, it } from 'vitest';
import type { PersonalToken } from '../domain/personal-tokens/personal-token.js';
import type { User } from '../domain/users/user.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { T, uid } from '../../test/support/storage-rows.js';

// The revocation feed's snapshot reads, on both adapters, through a second connection (another process).
const record = (owner: User, over: Partial<PersonalToken> = {}): PersonalToken => ({
  id: uid('pat_'),
  userId: owner.id,
  name: uid('feed-'),
  scopes: ['portal:read'],
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

describeStorageContract('revocation state storage', ({ one: s, two: other, seed }) => {
  it('lists the disabled clients and users, and no enabled ones', async () => {
    const [on, off] = [await seed.client(), await seed.client({ enabled: false })];
    await s.clients.setEnabled(on.clientId, false, T);
    await s.clients.setEnabled(on.clientId, true, T + 1);
    expect(await other.revocationState.disabledClients()).toEqual([off.clientId]);
    const [ada, bob] = [await seed.user(), await seed.user()];
    await s.users.setDisabled(bob.id, T);
    expect(await other.revocationState.disabledUsers()).toEqual([bob.id]);
    await s.users.setDisabled(bob.id, null);
    expect(await other.revocationState.disabledUsers()).toEqual([]);
    expect(ada.id).not.toBe(bob.id);
  });

  it('lists the subjects whose generation moved since a time', async () => {
    await s.watermarks.advance('old', T - 10);
    await s.watermarks.advance('new', T);
    await s.watermarks.advance('new', T + 5);
    expect(await other.revocationState.generations(T)).toEqual([{ subject: 'new', generation: 2 }]);
    expect(await other.revocationState.generations(0)).toEqual([
      { subject: 'new', generation: 2 },
      { subject: 'old', generation: 1 },
    ]);
  });

  it('lists the personal token records with a current, unexpired JWT, revoked ones included', async () => {
    const ada = await seed.user();
    const issued = record(ada, { jti: 'jti-issued' });
    const revoked = record(ada, { jti: 'jti-revoked', revokedAt: T, revokedBy: ada.id });
    const expired = record(ada, { jti: 'jti-expired', expiresAt: T });
    const never = record(ada);
    for (const r of [issued, revoked, expired, never]) await s.personalTokens.create(r);
    const listed = await other.revocationState.issuedPersonalTokens(T);
    expect(listed.map((r) => r.jti).sort()).toEqual(['jti-issued', 'jti-revoked']);
    expect(listed.find((r) => r.id === issued.id)).toStrictEqual(issued);
  });
});
