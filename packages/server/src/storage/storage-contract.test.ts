import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { Storage } from '../domain/storage.js';
import type { Service } from '../domain/catalog/service.js';
import type { SigningKeyRecord } from '../domain/keys/signing-key.js';
import { describeStorageContract } from '../../test/support/storage-contract.js';
import { application, client, FAR, secret, T, uid, user } from '../../test/support/storage-rows.js';

// One contract, both adapters, on a database emptied before each test; anything global (the change log,
// the audit log, pruning) is still checked relative to where it stood.
const service = (over: Partial<Service> = {}): Service => ({
  key: uid('svc-'),
  name: 'Email',
  description: 'Sends mail — “quoted”, ünïcode',
  scopes: [{ name: 'email:send', description: 'send' }, { name: 'email:read', description: '' }],
  audiences: { prod: 'https://mail.example.com' },
  createdAt: T,
  updatedAt: T + 1,
  baseUrls: {},
  retiredAt: null,
  ...over,
});
const signingKey = (over: Partial<SigningKeyRecord> = {}): SigningKeyRecord => {
  const kid = uid('kid-');
  return {
    kid,
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', kid, alg: 'ES256', use: 'sig' },
    encryptedPrivateKey: 'v1.ciphertext',
    createdAt: T,
    activatesAt: null,
    revokedAt: null,
    ...over,
  };
};

async function expectConflict(work: Promise<unknown>): Promise<void> {
  const error: unknown = await work.then(() => null, (e: unknown) => e);
  expect(error, 'expected DomainError conflict').toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('conflict');
}

describeStorageContract('storage contract', ({ one: s, seed }) => {
  it('services: create/get/list round trip with JSON, nulls and numbers; duplicate key is a conflict', async () => {
    const a = service({ key: uid('b-') });
    const b = service({ key: uid('a-'), scopes: [], audiences: {}, retiredAt: T + 5 });
    await s.services.create(a);
    await s.services.create(b);
    expect(await s.services.get(a.key)).toStrictEqual(a);
    expect(await s.services.get(b.key)).toStrictEqual(b);
    expect(await s.services.get('no-such-service')).toBeNull();
    const listed = await s.services.list();
    expect(listed.filter((x) => x.key === a.key || x.key === b.key)).toStrictEqual([b, a]);
    expect(listed.map((x) => x.key)).toStrictEqual(listed.map((x) => x.key).sort());
    await expectConflict(s.services.create(service({ key: a.key, name: 'other' })));
    expect(await s.services.get(a.key)).toStrictEqual(a);
  });

  it('services: update replaces every field but key and created time, records a change, and reports an unknown key', async () => {
    const a = service({ key: uid('u-') });
    await s.services.create(a);
    const before = await s.changes.latest();
    const edited = { ...a, name: 'Mail', scopes: [{ name: 'mail:send', description: 'send' }], baseUrls: { dev: 'https://dev.example.org' }, updatedAt: T + 9, retiredAt: T + 9 };
    expect(await s.services.update(edited)).toBe(true);
    expect(await s.services.get(a.key)).toStrictEqual(edited);
    expect((await s.changes.since(before, 10)).map((c) => [c.entity, c.id])).toContainEqual(['service', a.key]);
    expect(await s.services.update(service({ key: uid('none-') }))).toBe(false);
  });

  it('applications: round trip, acronym kept upper-case and unique regardless of case', async () => {
    const acronym = uid('Ab').slice(0, 10);
    const app = application({ acronym: acronym.toLowerCase(), status: 'pending', description: 'x' });
    await s.applications.create(app);
    const stored = { ...app, acronym: acronym.toUpperCase() };
    expect(await s.applications.getByAcronym(acronym.toLowerCase())).toStrictEqual(stored);
    expect(await s.applications.getByAcronym(acronym.toUpperCase())).toStrictEqual(stored);
    expect((await s.applications.list()).filter((x) => x.id === app.id)).toStrictEqual([stored]);
    await expectConflict(s.applications.create(application({ acronym: acronym.toUpperCase() })));
    await expectConflict(s.applications.create(application({ acronym })));
    expect(await s.applications.getByAcronym('NOSUCHAPP')).toBeNull();
  });

  it('clients: round trip with grants, secrets, booleans and nulls; list filters by acronym', async () => {
    const app = application();
    await s.applications.create(app);
    const dev = client(app, {
      secrets: [secret({ createdAt: T + 2, expiresAt: T + 9, lastUsedAt: T + 3 }), secret({ createdAt: T + 1 })],
      rotatedAt: T + 2,
      lastUsedAt: T + 3,
    });
    const prod = client(app, { env: 'prod', enabled: false, tokenTtl: 86_400, grants: [], secrets: [], createdAt: T + 1 });
    await s.clients.create(dev);
    await s.clients.create(prod);
    const got = await s.clients.get(dev.clientId);
    expect(got).toStrictEqual({ ...dev, secrets: [dev.secrets[1], dev.secrets[0]] }); // secrets by creation time
    expect(await s.clients.get(prod.clientId)).toStrictEqual(prod);
    expect(await s.clients.get('no-such-client')).toBeNull();
    expect((await s.clients.list({ acronym: app.acronym.toLowerCase() })).map((c) => c.clientId)).toStrictEqual([dev.clientId, prod.clientId]);
    expect((await s.clients.list({})).map((c) => c.clientId)).toEqual(expect.arrayContaining([dev.clientId, prod.clientId]));
    expect(await s.clients.list({ acronym: 'NOSUCHAPP' })).toStrictEqual([]);
  });

  it("clients: list by memberId gives the clients of that user's applications only", async () => {
    const [mine, theirs] = [application(), application()];
    const [member, outsider] = [user(), user()];
    for (const a of [mine, theirs]) await s.applications.create(a);
    for (const u of [member, outsider]) await s.users.create(u);
    await s.members.add({ applicationId: mine.id, userId: member.id, role: 'owner', joinedAt: T });
    await s.members.add({ applicationId: theirs.id, userId: outsider.id, role: 'owner', joinedAt: T });
    const dev = client(mine);
    const prod = client(mine, { env: 'prod', createdAt: T + 1 });
    for (const c of [dev, prod, client(theirs)]) await s.clients.create(c);
    expect((await s.clients.list({ memberId: member.id })).map((c) => c.clientId)).toStrictEqual([dev.clientId, prod.clientId]);
    expect(await s.clients.list({ memberId: 'usr_nobody' })).toStrictEqual([]);
    expect(await s.clients.list({ memberId: 'bad\u0000id' })).toStrictEqual([]);
  });

  it('clients: one per application and environment, and per client id', async () => {
    const c = await seed.client();
    await expectConflict(s.clients.create({ ...c, clientId: uid('cli-'), secrets: [secret()] }));
    const other = application();
    await s.applications.create(other);
    await expectConflict(s.clients.create(client(other, { clientId: c.clientId })));
    expect(await s.clients.get(c.clientId)).toStrictEqual(c);
  });

  it('clients: setEnabled toggles and stamps updatedAt; false for an unknown client', async () => {
    const c = await seed.client();
    expect(await s.clients.setEnabled(c.clientId, false, T + 50)).toBe(true);
    expect(await s.clients.get(c.clientId)).toMatchObject({ enabled: false, updatedAt: T + 50 });
    expect(await s.clients.setEnabled(c.clientId, true, T + 60)).toBe(true);
    expect(await s.clients.get(c.clientId)).toMatchObject({ enabled: true, updatedAt: T + 60 });
    expect(await s.clients.setEnabled('no-such-client', true, T)).toBe(false);
  });

  it('clients: addSecret adds one and expires the others at the given time; false for an unknown client', async () => {
    const c = await seed.client();
    const [first] = c.secrets;
    const second = secret({ createdAt: T + 100 });
    expect(await s.clients.addSecret(c.clientId, second, T + 5_000, T + 100)).toBe(true);
    let got = await s.clients.get(c.clientId);
    expect(got).toMatchObject({ rotatedAt: T + 100, updatedAt: T + 100 });
    expect(got?.secrets).toStrictEqual([{ ...first, expiresAt: T + 5_000 }, second]);

    // othersExpireAt === at: every other secret stops working at once.
    const third = secret({ createdAt: T + 200 });
    expect(await s.clients.addSecret(c.clientId, third, T + 200, T + 200)).toBe(true);
    got = await s.clients.get(c.clientId);
    expect(got?.secrets.find((x) => x.id === third.id)).toStrictEqual(third);
    for (const old of got?.secrets.filter((x) => x.id !== third.id) ?? []) expect(old.expiresAt).toBe(T + 200);
    expect(await s.clients.addSecret('no-such-client', secret(), T, T)).toBe(false);
  });

  it('clients: recordUses only moves last-used times forward', async () => {
    const c = await seed.client();
    const sid = c.secrets[0]!.id;
    const lastUsed = async () => {
      const got = await s.clients.get(c.clientId);
      return [got?.lastUsedAt, got?.secrets[0]?.lastUsedAt];
    };
    await s.clients.recordUses([{ clientId: c.clientId, secretId: sid, at: T + 100 }]);
    expect(await lastUsed()).toStrictEqual([T + 100, T + 100]);
    await s.clients.recordUses([{ clientId: c.clientId, secretId: sid, at: T + 50 }]);
    expect(await lastUsed()).toStrictEqual([T + 100, T + 100]);
    await s.clients.recordUses([
      { clientId: c.clientId, secretId: sid, at: T + 300 },
      { clientId: c.clientId, secretId: sid, at: T + 200 },
    ]);
    expect(await lastUsed()).toStrictEqual([T + 300, T + 300]);
    await s.clients.recordUses([{ clientId: 'no-such-client', secretId: 'no-such-secret', at: T }]);
    await s.clients.recordUses([]);
  });

  it('users: round trip, email lower-cased and unique regardless of case; countWithRole skips the disabled', async () => {
    const role = 'token_admin';
    const before = await s.users.countWithRole(role);
    const local = uid('Ann.');
    const u = user({ email: `${local}@Example.COM`, roles: [role] });
    await s.users.create(u);
    const stored = { ...u, email: `${local}@example.com`.toLowerCase() };
    expect(await s.users.get(u.id)).toStrictEqual(stored);
    expect(await s.users.getByEmail(`${local}@EXAMPLE.com`.toUpperCase())).toStrictEqual(stored);
    expect(await s.users.get('no-such-user')).toBeNull();
    expect(await s.users.getByEmail('nobody@example.com')).toBeNull();
    await expectConflict(s.users.create(user({ email: `${local}@example.com`.toUpperCase() })));
    await s.users.create(user({ roles: [role], disabledAt: T }));
    await s.users.create(user({ roles: [] }));
    expect(await s.users.countWithRole(role)).toBe(before + 1);
  });

  it('signing keys: insert and list in creation order; setActivation; revoke', async () => {
    const later = signingKey({ alg: 'EdDSA', createdAt: T + 20, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'eA', kid: 'k', alg: 'EdDSA', use: 'sig' } });
    const earlier = signingKey({ createdAt: T + 10, activatesAt: T + 11 });
    await s.keys.insert(later);
    await s.keys.insert(earlier);
    const mine = async () => (await s.keys.list()).filter((k) => k.kid === later.kid || k.kid === earlier.kid);
    expect(await mine()).toStrictEqual([earlier, later]);
    await s.keys.setActivation(later.kid, T + 30);
    await s.keys.revoke(earlier.kid, T + 40);
    expect(await mine()).toStrictEqual([{ ...earlier, revokedAt: T + 40 }, { ...later, activatesAt: T + 30 }]);
    const all = await s.keys.list();
    expect(all.map((k) => k.createdAt)).toStrictEqual(all.map((k) => k.createdAt).sort((x, y) => x - y));
  });

  it('revocations: add is idempotent; get, listActive and prune by expiry', async () => {
    // Expiries far in the past, below every other test's, so prune(T) removes exactly these.
    const jti = (i: number) => `${uid('jti-')}-${i}`;
    const old = { jti: jti(1), expiresAt: 1_000 };
    const soon = { jti: jti(2), expiresAt: 2_000 };
    const live = { jti: jti(3), expiresAt: FAR };
    for (const r of [old, soon, live]) await s.revocations.add(r);
    await s.revocations.add({ jti: old.jti, expiresAt: FAR });
    expect(await s.revocations.get(old.jti)).toStrictEqual(old);
    expect(await s.revocations.get('no-such-jti')).toBeNull();
    const active = (await s.revocations.listActive(1_500)).filter((r) => [old, soon, live].some((x) => x.jti === r.jti));
    expect(active.sort((a, b) => a.expiresAt - b.expiresAt)).toStrictEqual([soon, live]);
    expect(await s.revocations.prune(2_000)).toBe(2);
    expect(await s.revocations.get(old.jti)).toBeNull();
    expect(await s.revocations.get(soon.jti)).toBeNull();
    expect(await s.revocations.get(live.jti)).toStrictEqual(live);
    expect(await s.revocations.prune(2_000)).toBe(0);
  });

  it('lookups by an id no row can hold (NUL, lone surrogate) find nothing rather than fail', async () => {
    for (const odd of ['a\u0000b', '\ud800']) {
      expect(await s.clients.get(odd)).toBeNull();
      expect(await s.services.get(odd)).toBeNull();
      expect(await s.applications.getByAcronym(odd)).toBeNull();
      expect(await s.users.getByEmail(odd)).toBeNull();
      expect(await s.revocations.get(odd)).toBeNull();
    }
  });

  it('audit log: append, then list newest first with `before` paging', async () => {
    const action = uid('test.action.');
    for (let i = 0; i < 5; i++) {
      await s.audit.append({ at: T + i, actor: 'cli', address: i % 2 ? '127.0.0.1' : null, action, target: `t:${i}`, details: { i, nested: { ok: true, list: [1, 'two', null] } } });
    }
    const page1 = await s.audit.list({ limit: 3 });
    expect(page1.map((e) => e.target)).toStrictEqual(['t:4', 't:3', 't:2']);
    expect(page1[0]).toStrictEqual({ id: page1[0]!.id, at: T + 4, actor: 'cli', address: null, action, target: 't:4', details: { i: 4, nested: { ok: true, list: [1, 'two', null] } } });
    expect(typeof page1[0]!.id).toBe('number');
    const page2 = (await s.audit.list({ limit: 3, before: page1[2]!.id })).filter((e) => e.action === action);
    expect(page2.map((e) => [e.target, e.address])).toStrictEqual([['t:1', '127.0.0.1'], ['t:0', null]]);
    expect(page2[0]!.id).toBeLessThan(page1[2]!.id);
  });

  it('audit log: filters by actor, action, any of several targets and a time range, combined', async () => {
    const action = uid('filter.');
    const actor = uid('user:');
    for (let i = 0; i < 6; i++) {
      await s.audit.append({ at: T + 100 + i, actor: i < 3 ? actor : 'cli', address: null, action, target: `f:${i % 3}`, details: {} });
    }
    const targets = (q: Parameters<Storage['audit']['list']>[0]) => s.audit.list(q).then((events) => events.map((e) => e.target));
    expect(await targets({ limit: 10, action, actor })).toStrictEqual(['f:2', 'f:1', 'f:0']);
    expect(await targets({ limit: 10, action, targets: ['f:0', 'f:2'] })).toStrictEqual(['f:2', 'f:0', 'f:2', 'f:0']);
    expect(await targets({ limit: 10, action, targets: [] })).toStrictEqual([]);
    expect(await targets({ limit: 10, action, since: T + 102, until: T + 104 })).toStrictEqual(['f:0', 'f:2']);
  });

  describe('change log and transactions', () => {
    /** Runs `work` and checks that it recorded exactly one change, numbered next, for `entity`/`id`. */
    async function recordsOne(entity: string, id: string, work: () => Promise<unknown>): Promise<void> {
      const seq = await s.changes.latest();
      const before = Date.now();
      await work();
      const after = Date.now();
      expect(await s.changes.latest(), `${entity} ${id}`).toBe(seq + 1);
      expect(await s.changes.since(seq, 10)).toStrictEqual([{ seq: seq + 1, entity, id, at: expect.any(Number) }]);
      // Stamped when recorded (the change feed's lag is measured from it).
      const [change] = await s.changes.since(seq, 10);
      expect(change?.at).toBeGreaterThanOrEqual(before);
      expect(change?.at).toBeLessThanOrEqual(after);
    }

    it('every mutating method records exactly one change, numbered without gaps', async () => {
      const start = await s.changes.latest();
      expect(typeof start).toBe('number');
      const svc = service();
      const app = application();
      const c = client(app);
      const u = user();
      const k = signingKey();
      await recordsOne('service', svc.key, () => s.services.create(svc));
      await recordsOne('application', app.id, () => s.applications.create(app));
      await recordsOne('client', c.clientId, () => s.clients.create(c));
      await recordsOne('client', c.clientId, () => s.clients.setEnabled(c.clientId, false, T));
      await recordsOne('client', c.clientId, () => s.clients.addSecret(c.clientId, secret(), T, T));
      await recordsOne('user', u.id, () => s.users.create(u));
      await recordsOne('key', k.kid, () => s.keys.insert(k));
      await recordsOne('key', k.kid, () => s.keys.setActivation(k.kid, T));
      await recordsOne('key', k.kid, () => s.keys.revoke(k.kid, T));
      await recordsOne('revocation', 'jti-x', () => s.revocations.add({ jti: 'jti-x', expiresAt: FAR }));
      await recordsOne('revocation', 'jti-x', () => s.revocations.add({ jti: 'jti-x', expiresAt: FAR }));
      // Bookkeeping that no cache depends on is not a change: last-used times, the audit log, pruning.
      const seq = await s.changes.latest();
      await s.clients.recordUses([{ clientId: c.clientId, secretId: c.secrets[0]!.id, at: T + 1 }]);
      await s.audit.append({ at: T, actor: 'cli', address: null, action: 'x', target: 'y', details: {} });
      await s.revocations.prune(0);
      expect(await s.changes.latest()).toBe(seq);
      // since() pages through the same entries.
      const all = await s.changes.since(start, 100);
      expect(all.map((e) => e.seq)).toStrictEqual(Array.from({ length: 11 }, (_, i) => start + 1 + i));
      const pages = [...(await s.changes.since(start, 4)), ...(await s.changes.since(start + 4, 4)), ...(await s.changes.since(start + 8, 4))];
      expect(pages).toStrictEqual(all);
      expect(await s.changes.since(start + 11, 4)).toStrictEqual([]);
    });

    it('a failed call inside a mutating method records nothing', async () => {
      const svc = service();
      await s.services.create(svc);
      const seq = await s.changes.latest();
      await expectConflict(s.services.create(svc));
      expect(await s.changes.latest()).toBe(seq);
      expect(await s.changes.since(seq, 10)).toStrictEqual([]);
    });

    it('a transaction commits everything together and returns its value', async () => {
      const seq = await s.changes.latest();
      const app = application();
      const result = await s.transaction(async (tx) => {
        await tx.applications.create(app);
        await tx.clients.create(client(app));
        await tx.audit.append({ at: T, actor: 'cli', address: null, action: 'tx.commit', target: app.id, details: {} });
        return 42;
      });
      expect(result).toBe(42);
      expect((await s.changes.since(seq, 10)).map((c) => [c.seq, c.entity])).toStrictEqual([[seq + 1, 'application'], [seq + 2, 'client']]);
      expect(await s.clients.list({ acronym: app.acronym })).toHaveLength(1);
    });

    it('a transaction that throws leaves nothing: no rows, no changes, no audit, no gap in the numbering', async () => {
      const seq = await s.changes.latest();
      const svc = service();
      const app = application();
      const action = uid('tx.rollback.');
      const boom = new Error('boom');
      await expect(
        s.transaction(async (tx) => {
          await tx.services.create(svc);
          await tx.applications.create(app);
          await tx.audit.append({ at: T, actor: 'cli', address: null, action, target: app.id, details: {} });
          // Nested calls join the outer transaction, so they roll back with it.
          await tx.transaction(async (inner) => inner.users.create(user()));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await s.services.get(svc.key)).toBeNull();
      expect(await s.applications.getByAcronym(app.acronym)).toBeNull();
      expect((await s.audit.list({ limit: 20 })).filter((e) => e.action === action)).toStrictEqual([]);
      expect(await s.changes.latest()).toBe(seq);
      expect(await s.changes.since(seq, 10)).toStrictEqual([]);
      await recordsOne('service', svc.key, () => s.services.create(svc));
    });

    it('a conflict in the middle of a transaction undoes the steps before it', async () => {
      const taken = await seed.client();
      const seq = await s.changes.latest();
      const svc = service();
      const app = application();
      await expectConflict(
        s.transaction(async (tx) => {
          await tx.services.create(svc);
          await tx.applications.create(app);
          await tx.clients.create(client(app, { clientId: taken.clientId }));
        }),
      );
      expect(await s.services.get(svc.key)).toBeNull();
      expect(await s.applications.getByAcronym(app.acronym)).toBeNull();
      expect(await s.changes.latest()).toBe(seq);
    });

    it('pruning drops old entries but never rewinds the numbering', async () => {
      await seed.application(); // a change to prune
      const seq = await s.changes.latest();
      expect(await s.changes.prune(0)).toBe(0);
      expect(await s.changes.prune(Date.now() + 60_000)).toBeGreaterThanOrEqual(seq > 0 ? 1 : 0);
      expect(await s.changes.since(0, 10)).toStrictEqual([]);
      expect(await s.changes.latest()).toBe(seq);
      const svc = service();
      await s.services.create(svc);
      expect(await s.changes.since(0, 10)).toStrictEqual([{ seq: seq + 1, entity: 'service', id: svc.key, at: expect.any(Number) }]);
    });
  });
});
