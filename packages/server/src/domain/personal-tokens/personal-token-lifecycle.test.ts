import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { CLI_ACTOR, userActor, type UserActor } from '../actor.js';
import { systemRandom } from '../random.js';
import { createService } from '../catalog/create-service.js';
import { createApplication } from '../applications/create-application.js';
import { createClient } from '../clients/create-client.js';
import { createClientDirectory } from '../clients/client-directory.js';
import { DomainError } from '../errors.js';
import { createKeyManager } from '../keys/key-manager.js';
import { ensureSigningKeys } from '../keys/rotate-signing-key.js';
import { introspectToken, type IntrospectDeps } from '../oauth/introspect-token.js';
import { createServerKeyring } from '../secrets/server-key.js';
import type { Storage } from '../storage.js';
import { createDenylist } from '../tokens/denylist.js';
import { createWatermarkCache } from '../tokens/watermark-cache.js';
import { createAdmin } from '../users/create-admin.js';
import { setUserRoles } from '../users/set-user-roles.js';
import { setUserDisabled } from '../users/set-user-disabled.js';
import type { Role } from '../users/user.js';
import { createPersonalToken } from './create-personal-token.js';
import { generatePersonalToken } from './generate-personal-token.js';
import { deletePersonalToken } from './delete-personal-token.js';
import { revokePersonalToken } from './revoke-personal-token.js';
import { sendExpiryNotices } from './send-expiry-notices.js';

const DAY = 86_400_000;

describe('personal token lifecycle in the domain, on a clock the test moves', () => {
  let database: SqlDatabase;
  let storage: Storage;
  let now = Date.UTC(2026, 10, 30, 12);
  const clock = { now: () => now };
  const issuer = 'https://auth.example.org';
  const serverKeys = createServerKeyring([randomBytes(32)]);
  const policy = { publishLeadMs: 0, retainMs: 400 * DAY };
  const keys = createKeyManager({ serverKeys, clock, policy });
  let deps: IntrospectDeps & { storage: Storage; clock: typeof clock; random: typeof systemRandom; issuer: string; patMaxDays: number; environments: string[]; keys: typeof keys };
  let admin: UserActor;
  let team = '';
  let n = 0;

  // Every user is a member of the team, which holds email in DEV and PROD: what their tokens may carry.
  const as = async (roles: Role[]): Promise<UserActor> => {
    const user = await createAdmin({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, email: `u${++n}@example.org`, password: 'correct horse battery' });
    await storage.users.setRoles(user.id, roles);
    await storage.members.add({ applicationId: team, userId: user.id, role: 'member', joinedAt: now });
    return userActor({ ...user, roles }, '127.0.0.9');
  };
  const reread = async (acting: UserActor): Promise<UserActor> => {
    const stored = await storage.users.get(acting.user.id);
    return stored ? userActor(stored, acting.address) : acting;
  };
  const code = (e: unknown): string => (e instanceof DomainError ? e.code : String(e));
  const inDays = (days: number): string => new Date(now + days * DAY).toISOString();

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    keys.load(await ensureSigningKeys({ storage, clock, serverKeys, policy, alg: 'ES256' }));
    deps = { storage, clock, random: systemRandom, issuer, patMaxDays: 366, environments: ['dev', 'prod'], keys, denylist: createDenylist(), directory: createClientDirectory(storage), watermarks: createWatermarkCache(storage.watermarks) };
    await createService({ storage, clock, environments: ['dev', 'prod'] }, {
      actor: CLI_ACTOR,
      key: 'email',
      name: 'Email',
      scopes: [{ name: 'email:send', description: '' }, { name: 'email:read', description: '' }],
    });
    team = (await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym: 'LIFE', status: 'approved' })).id;
    for (const env of ['dev', 'prod']) {
      await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev', 'prod'] }, { actor: CLI_ACTOR, acronym: 'LIFE', env, services: [{ key: 'email' }] });
    }
    admin = await as(['admin', 'token_admin', 'pat']);
  });
  afterAll(() => database.close());

  it('defaults to read scopes only, bounds the expiry, and keeps names unique per user', async () => {
    const ada = await as(['pat']);
    const record = await createPersonalToken(deps, { actor: ada, name: 'ci', expiresAt: inDays(30) });
    expect(record.scopes).toStrictEqual(['portal:read', 'email:read']);
    expect(code(await createPersonalToken(deps, { actor: ada, name: 'ci', expiresAt: inDays(30) }).catch((e: unknown) => e))).toBe('conflict');
    expect(code(await createPersonalToken(deps, { actor: ada, name: 'old', expiresAt: inDays(-1) }).catch((e: unknown) => e))).toBe('bad_request');
    expect(code(await createPersonalToken(deps, { actor: ada, name: 'long', expiresAt: inDays(367) }).catch((e: unknown) => e))).toBe('bad_request');
    expect(code(await createPersonalToken(deps, { actor: ada, name: 'x', expiresAt: inDays(3), scopes: ['nope'] }).catch((e: unknown) => e))).toBe('bad_request');
    const nobody = await as([]);
    expect(code(await createPersonalToken(deps, { actor: nobody, name: 'ci', expiresAt: inDays(3) }).catch((e: unknown) => e))).toBe('forbidden');
    const outbox = await storage.outbox.list({ limit: 50 });
    expect(outbox.filter((m) => m.to === ada.user.email).map((m) => m.kind)).toStrictEqual(['personal_token.created']);
  });

  it('generates a JWT that is active until replaced, deleted, revoked, or its owner loses pat or is disabled', async () => {
    const ada = await as(['pat']);
    const record = await createPersonalToken(deps, { actor: ada, name: 'deploy', expiresAt: inDays(10), scopes: ['email:send', 'portal:write'] });
    const first = await generatePersonalToken(deps, { actor: ada, id: record.id });
    const claims = await introspectToken(deps, first.token);
    expect(claims).toMatchObject({ active: true, sub: ada.user.id, scope: 'email:send portal:write', pat_id: record.id, client_id: 'latchkey-personal-token', exp: Math.floor(record.expiresAt / 1000) });
    expect((claims as { aud?: unknown }).aud).toStrictEqual([issuer, 'urn:latchkey:service:email:dev', 'urn:latchkey:service:email:prod']);

    const second = await generatePersonalToken(deps, { actor: ada, id: record.id });
    expect((await introspectToken(deps, first.token)).active).toBe(false);
    expect((await introspectToken(deps, second.token)).active).toBe(true);

    await setUserRoles(deps, { actor: await reread(admin), userId: ada.user.id, roles: [] });
    expect((await introspectToken(deps, second.token)).active).toBe(false);
    await setUserRoles(deps, { actor: await reread(admin), userId: ada.user.id, roles: ['pat'] });
    expect((await introspectToken(deps, second.token)).active).toBe(true);
    await setUserDisabled(deps, { actor: await reread(admin), userId: ada.user.id, disabled: true });
    expect((await introspectToken(deps, second.token)).active).toBe(false);
    await setUserDisabled(deps, { actor: await reread(admin), userId: ada.user.id, disabled: false });
    expect((await introspectToken(deps, second.token)).active).toBe(true);

    await revokePersonalToken(deps, { actor: await reread(admin), id: record.id });
    expect((await introspectToken(deps, second.token)).active).toBe(false);
    expect(code(await generatePersonalToken(deps, { actor: ada, id: record.id }).catch((e: unknown) => e))).toBe('conflict');
    await deletePersonalToken(deps, { actor: ada, id: record.id });
    expect(code(await deletePersonalToken(deps, { actor: ada, id: record.id }).catch((e: unknown) => e))).toBe('not_found');
    const kinds = (await storage.outbox.list({ limit: 50 })).filter((m) => m.to === ada.user.email).map((m) => m.kind);
    expect(kinds).toContain('personal_token.revoked');
  });

  it('is inactive from its expiry on', async () => {
    const ada = await as(['pat']);
    const record = await createPersonalToken(deps, { actor: ada, name: 'short', expiresAt: inDays(2) });
    const { token } = await generatePersonalToken(deps, { actor: ada, id: record.id });
    const saved = now;
    now = record.expiresAt - 1000;
    expect((await introspectToken(deps, token)).active).toBe(true);
    now = record.expiresAt;
    expect((await introspectToken(deps, token)).active).toBe(false);
    now = saved;
  });

  it('of concurrent generate calls, losers get conflict and exactly one token survives', async () => {
    const ada = await as(['pat']);
    const record = await createPersonalToken(deps, { actor: ada, name: 'race', expiresAt: inDays(5) });
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => generatePersonalToken(deps, { actor: ada, id: record.id })));
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.token] : []));
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [code(r.reason)] : [])).every((c) => c === 'conflict')).toBe(true);
    const active = await Promise.all(won.map(async (t) => (await introspectToken(deps, t)).active));
    expect(active.filter(Boolean)).toHaveLength(1);
  });

  it('the last administrator cannot remove their own admin role; another admin can then', async () => {
    const solo = await as(['admin']);
    // Everyone else with admin loses it, so `solo` is the last one.
    for (const u of await storage.users.list({ limit: 200, role: 'admin' })) {
      if (u.id !== solo.user.id) await storage.users.setRoles(u.id, u.roles.filter((r) => r !== 'admin'));
    }
    expect(code(await setUserRoles(deps, { actor: solo, userId: solo.user.id, roles: [] }).catch((e: unknown) => e))).toBe('conflict');
    const other = await as(['pat']);
    await setUserRoles(deps, { actor: solo, userId: other.user.id, roles: ['admin', 'pat'] });
    const result = await setUserRoles(deps, { actor: solo, userId: solo.user.id, roles: ['pat'] });
    expect(result.removed).toStrictEqual(['admin']);
    expect(result.granted).toStrictEqual(['pat']);
    const audit = await storage.audit.list({ limit: 10, actionPrefixes: ['user.role_'] });
    expect(audit.slice(0, 3).map((e) => [e.action, e.details.role])).toStrictEqual([['user.role_removed', 'admin'], ['user.role_granted', 'pat'], ['user.role_granted', 'admin']]);
    admin = await as(['admin', 'token_admin', 'pat']);
  });

  it('sends the 7-day and 1-day notices once each, however often the job runs', async () => {
    const ada = await as(['pat']);
    const record = await createPersonalToken(deps, { actor: ada, name: 'expiring', expiresAt: inDays(20) });
    const mails = async () => (await storage.outbox.list({ limit: 200 })).filter((m) => m.to === ada.user.email).map((m) => m.kind);
    const saved = now;
    now = record.expiresAt - 10 * DAY;
    await sendExpiryNotices(deps);
    expect(await mails()).toStrictEqual(['personal_token.created']);
    now = record.expiresAt - 6 * DAY;
    await Promise.all([sendExpiryNotices(deps), sendExpiryNotices(deps)]);
    await sendExpiryNotices(deps);
    now = record.expiresAt - DAY / 2;
    await sendExpiryNotices(deps);
    await sendExpiryNotices(deps);
    expect((await mails()).sort()).toStrictEqual(['personal_token.created', 'personal_token.expiry_1d', 'personal_token.expiry_7d']);
    const notice = (await storage.outbox.list({ limit: 200 })).find((m) => m.to === ada.user.email && m.kind === 'personal_token.expiry_7d');
    expect(notice?.text).toContain(`${issuer}/tokens/new?replace=${record.id}`);
    now = saved;
  });
});
