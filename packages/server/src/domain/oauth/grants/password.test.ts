import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../../storage/database.js';
import { createSqlStorage } from '../../../storage/sql-storage.js';
import { createClientDirectory } from '../../clients/client-directory.js';
import { createKeyManager } from '../../keys/key-manager.js';
import { ensureSigningKeys } from '../../keys/rotate-signing-key.js';
import { createServerKeyring } from '../../secrets/server-key.js';
import type { Storage } from '../../storage.js';
import { createDenylist } from '../../tokens/denylist.js';
import { createWatermarkCache } from '../../tokens/watermark-cache.js';
import { createAdmin } from '../../users/create-admin.js';
import { createLoginThrottle } from '../../users/login-throttle.js';
import { systemRandom } from '../../random.js';
import { grantPasswordToken, type PasswordGrantDeps } from './password.js';
import { introspectToken, type IntrospectDeps } from '../introspect-token.js';
import { CLI_ACTOR } from '../../actor.js';

describe('superseding user tokens, on a clock that stands still', () => {
  let database: SqlDatabase;
  let storage: Storage;
  const now = Date.UTC(2026, 0, 1, 12);
  const clock = { now: () => now };
  const issuer = 'https://auth.example.org';
  const password = 'correct horse battery staple';
  let grantDeps: PasswordGrantDeps;
  let introspectDeps: IntrospectDeps;
  let otherInstance: IntrospectDeps;

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    const serverKeys = createServerKeyring([randomBytes(32)]);
    const policy = { publishLeadMs: 30_000, retainMs: 3_600_000 };
    const keys = createKeyManager({ serverKeys, clock, policy });
    keys.load(await ensureSigningKeys({ storage, clock, serverKeys, policy, alg: 'ES256' }));
    const watermarks = createWatermarkCache(storage.watermarks);
    const login = { storage, clock, throttle: createLoginThrottle(storage.counters, clock), defer: () => undefined };
    grantDeps = { keys, clock, random: systemRandom, issuer, login, storage, watermarks };
    introspectDeps = { keys, clock, issuer, environments: ['dev'], denylist: createDenylist(), directory: createClientDirectory(storage), watermarks, storage };
    otherInstance = { ...introspectDeps, watermarks: createWatermarkCache(storage.watermarks) };
    await createAdmin({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, email: 'ada@example.org', password });
  });
  afterAll(() => database.close());

  const grant = (supersede: boolean) =>
    grantPasswordToken(grantDeps, { email: 'ada@example.org', password, address: '127.0.0.1', client: null, resources: [], supersede });

  it('makes the earlier token inactive when a superseding one is issued in the same second', async () => {
    const first = await grant(true);
    expect((await introspectToken(otherInstance, first.token.accessToken)).active).toBe(true);
    const second = await grant(true);
    expect(second.token.expiresAt).toBe(first.token.expiresAt);
    expect(await introspectToken(introspectDeps, first.token.accessToken)).toEqual({ active: false });
    expect((await introspectToken(introspectDeps, second.token.accessToken)).active).toBe(true);
    // Another process learns of it through the change feed, which invalidates the subject.
    otherInstance.watermarks.invalidate(first.user.id);
    expect(await introspectToken(otherInstance, first.token.accessToken)).toEqual({ active: false });
  });

  it('leaves tokens without a generation (the plain password grant) alone', async () => {
    const plain = await grant(false);
    await grant(true);
    expect((await introspectToken(introspectDeps, plain.token.accessToken)).active).toBe(true);
  });

  it('moves no watermark when the request is refused', async () => {
    const current = await grant(true);
    const refused = await grantPasswordToken(grantDeps, { email: 'ada@example.org', password, address: '127.0.0.1', client: null, resources: [], scope: 'email:send', supersede: true }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'scope_not_allowed' });
    expect((await introspectToken(introspectDeps, current.token.accessToken)).active).toBe(true);
  });
});
