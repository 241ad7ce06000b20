import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { CLI_ACTOR } from '../actor.js';
import { createApplication } from '../applications/create-application.js';
import { createService } from '../catalog/create-service.js';
import { createClientDirectory } from '../clients/client-directory.js';
import { createClient } from '../clients/create-client.js';
import { createKeyManager } from '../keys/key-manager.js';
import { ensureSigningKeys, rotateSigningKey } from '../keys/rotate-signing-key.js';
import { createServerKeyring } from '../secrets/server-key.js';
import { createDenylist } from '../tokens/denylist.js';
import { createWatermarkCache } from '../tokens/watermark-cache.js';
import type { Storage } from '../storage.js';
import { introspectToken } from './introspect-token.js';
import { issueClientToken } from './issue-client-token.js';
import { systemRandom } from '../random.js';

describe('token lifetime and key rotation, on a clock the test moves', () => {
  let database: SqlDatabase;
  let storage: Storage;
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now };
  const serverKeys = createServerKeyring([randomBytes(32)]);
  const policy = { publishLeadMs: 30_000, retainMs: 3_600_000 };
  const keys = createKeyManager({ serverKeys, clock, policy });
  const issuer = 'https://auth.example.org';
  const signingDeps = () => ({ storage, clock, serverKeys, policy, alg: 'ES256' as const });
  let deps: Parameters<typeof introspectToken>[0];
  let clientId = '';

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    keys.load(await ensureSigningKeys(signingDeps()));
    const directory = createClientDirectory(storage);
    deps = { keys, clock, issuer, environments: ['dev'], denylist: createDenylist(), directory, watermarks: createWatermarkCache(storage.watermarks), storage };
    await createService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] });
    await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym: 'APP', status: 'approved' });
    ({ client: { clientId } } = await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym: 'APP', env: 'dev', services: [{ key: 'email' }], tokenTtl: 60 }));
  });
  afterAll(() => database.close());

  const issue = async (): Promise<string> => {
    const resolved = await deps.directory.get(clientId);
    if (!resolved) throw new Error('client missing');
    return issueClientToken({ keys, clock, random: systemRandom, issuer }, resolved, { resources: [] }).accessToken;
  };

  it('is active until exp, and inactive from exp on', async () => {
    const token = await issue();
    now += 59_000;
    expect((await introspectToken(deps, token)).active).toBe(true);
    now += 1_000;
    expect(await introspectToken(deps, token)).toEqual({ active: false });
  });

  it('answers an application token whose client is cached without a promise, the same answer each time', async () => {
    const token = await issue();
    const first = introspectToken(deps, token);
    expect(first).not.toBeInstanceOf(Promise);
    expect((first as { active: boolean }).active).toBe(true);
    expect(introspectToken(deps, token)).toBe(first);
    deps.directory.invalidate(clientId);
    const reread = introspectToken(deps, token);
    expect(reread).toBeInstanceOf(Promise);
    expect((await reread).active).toBe(true);
  });

  it('is inactive when the issuer differs (a token of another Latchkey)', async () => {
    const token = await issue();
    expect((await introspectToken({ ...deps, issuer: 'https://other.example.org' }, token)).active).toBe(false);
  });

  it('keeps verifying a token signed by the previous key after a rotation, until that key retires', async () => {
    const before = await issue();
    const oldKid = keys.signer().kid;
    now += policy.publishLeadMs; // the standby key has been published long enough
    const rotation = await rotateSigningKey(signingDeps(), { actor: CLI_ACTOR });
    expect(rotation.activatesAt).toBe(now);
    keys.load(await storage.keys.list());
    expect(keys.signer().kid).toBe(rotation.kid);
    expect(keys.signer().kid).not.toBe(oldKid);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, rotation.kid, rotation.standbyKid]));
    expect((await introspectToken(deps, before)).active).toBe(true);
    now += policy.retainMs;
    expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(oldKid);
  });

  it('schedules a rotation when the standby key is younger than the JWKS cache lifetime, and switches on time by itself', async () => {
    await rotateSigningKey(signingDeps(), { actor: CLI_ACTOR }); // publishes a fresh standby
    now += 1_000;
    const first = await rotateSigningKey(signingDeps(), { actor: CLI_ACTOR }); // that standby is only 1 s old
    keys.load(await storage.keys.list());
    expect(first.activatesAt).toBeGreaterThan(now);
    const signing = keys.signer().kid;
    expect(signing).not.toBe(first.kid);
    now = first.activatesAt;
    expect(keys.signer().kid).toBe(first.kid);
  });

  it('makes an emergency rotation revoke the current key: its tokens stop verifying at once', async () => {
    const token = await issue();
    const rotation = await rotateSigningKey(signingDeps(), { actor: CLI_ACTOR, emergency: true });
    keys.load(await storage.keys.list());
    expect(rotation.revokedKid).not.toBeNull();
    expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(rotation.revokedKid);
    expect(await introspectToken(deps, token)).toEqual({ active: false });
    expect((await introspectToken(deps, await issue())).active).toBe(true);
  });
});
