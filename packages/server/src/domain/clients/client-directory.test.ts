import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { CLI_ACTOR } from '../actor.js';
import { createApplication } from '../applications/create-application.js';
import { createService } from '../catalog/create-service.js';
import { retireService } from '../catalog/update-service.js';
import { createServerKeyring } from '../secrets/server-key.js';
import type { Storage } from '../storage.js';
import { createClient } from './create-client.js';
import { createClientDirectory } from './client-directory.js';
import { authenticateClient, type AuthenticateClientDeps } from './authenticate-client.js';
import { createClientUsage } from './client-usage.js';
import { rotateClientSecret } from './rotate-client-secret.js';
import { systemRandom } from '../random.js';
import { DomainError } from '../errors.js';

describe('the client directory (the token path\'s cache)', () => {
  let database: SqlDatabase;
  let storage: Storage;
  let skew = 0;
  const clock = { now: () => Date.now() + skew };
  const serverKeys = createServerKeyring([randomBytes(32)]);
  const service = (key: string) => createService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key, name: key, scopes: [{ name: `${key}:read`, description: '' }] });
  const created = async (acronym: string, services: string[]) => {
    await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym, status: 'approved' });
    return createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym, env: 'dev', services: services.map((key) => ({ key })) });
  };
  const client = async (acronym: string, services: string[]) => (await created(acronym, services)).client.clientId;

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    await service('email');
  });
  afterAll(() => database.close());

  it('remembers a miss until told the client changed', async () => {
    const directory = createClientDirectory(storage);
    expect(await directory.get('later-dev-1')).toBeNull();
    const id = await client('LATER', ['email']);
    expect(await directory.get(id)).not.toBeNull();
    expect(await directory.get('later-dev-1')).toBeNull();
  });

  it('reads the catalog again when a client names a service newer than the cached catalog', async () => {
    const directory = createClientDirectory(storage);
    await directory.get(await client('FIRST', ['email'])); // caches the catalog: email only
    await service('docs');
    const resolved = await directory.get(await client('SECOND', ['email', 'docs']));
    expect(resolved?.entitlements.map((e) => e.service)).toEqual(['email', 'docs']);
  });

  it('keeps no entry filled by a read that raced an invalidation', async () => {
    const directory = createClientDirectory(storage);
    const id = await client('RACE', ['email']);
    const pending = directory.get(id);
    directory.invalidate(id);
    await pending;
    await storage.clients.setEnabled(id, false, Date.now());
    expect((await directory.get(id))?.client.enabled).toBe(false);
  });

  it('keeps its clients through a burst of unknown ids, and remembers a bounded number of those', async () => {
    const directory = createClientDirectory(storage, { capacity: 10, missCapacity: 50 });
    const id = await client('HOT', ['email']);
    await directory.get(id);
    for (let i = 0; i < 500; i++) expect(await directory.get(`nobody-dev-${i}`)).toBeNull();
    expect(directory.cached(id)?.client.clientId).toBe(id);
    expect(directory.size()).toEqual({ clients: 1, misses: 50 });
  });

  it('drops only the changed application\'s clients', async () => {
    const directory = createClientDirectory(storage);
    const [one, other] = [await created('APPONE', ['email']), await created('APPTWO', ['email'])];
    await directory.get(one.client.clientId);
    await directory.get(other.client.clientId);
    directory.invalidateApplication(one.client.applicationId);
    expect(directory.cached(one.client.clientId)).toBeUndefined();
    expect(directory.cached(other.client.clientId)).not.toBeUndefined();
  });

  it('keeps its clients when the catalog changes, resolved against the new catalog', async () => {
    let clientReads = 0;
    const directory = createClientDirectory({ ...storage, clients: { ...storage.clients, get: (clientId) => (clientReads++, storage.clients.get(clientId)) } });
    await service('maps');
    const id = await client('CATALOG', ['email', 'maps']);
    expect((await directory.get(id))?.entitlements.map((e) => e.service)).toEqual(['email', 'maps']);
    await retireService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key: 'maps' });
    await directory.refreshCatalog();
    expect(directory.cached(id)?.entitlements.map((e) => e.service)).toEqual(['email']);
    expect(clientReads).toBe(1);
  });

  describe('checking a secret', () => {
    let verifies = 0;
    const counted = { ...serverKeys, verify: (value: string, stored: string) => (verifies++, serverKeys.verify(value, stored)) };
    const authDeps = (directory = createClientDirectory(storage)): AuthenticateClientDeps => ({ directory, serverKeys: counted, usage: createClientUsage(), clock });
    // How many HMACs an authentication took, and whether it passed.
    const attempt = async (deps: AuthenticateClientDeps, clientId: string, clientSecret: string) => {
      verifies = 0;
      // A cached client answers (or throws) synchronously.
      const passed = await Promise.resolve().then(() => authenticateClient(deps, { clientId, clientSecret })).then(
        () => true,
        (error: unknown) => {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('bad_credentials');
          return false;
        },
      );
      return { passed, hmacs: verifies };
    };

    it('runs the HMAC once per cached client and secret; failures still cost one HMAC each, alike', async () => {
      const { client: c, clientSecret } = await created('MEMO', ['email']);
      const deps = authDeps();
      expect(await attempt(deps, c.clientId, clientSecret)).toEqual({ passed: true, hmacs: 1 });
      expect(await attempt(deps, c.clientId, clientSecret)).toEqual({ passed: true, hmacs: 0 });
      const wrong = `${clientSecret.slice(0, -1)}${clientSecret.endsWith('A') ? 'B' : 'A'}`;
      expect(await attempt(deps, c.clientId, wrong)).toEqual({ passed: false, hmacs: 1 });
      expect(await attempt(deps, 'memo-dev-404', clientSecret)).toEqual({ passed: false, hmacs: 1 });
      expect(await attempt(deps, 'memo-dev-404', clientSecret)).toEqual({ passed: false, hmacs: 1 });
    });

    it('forgets what it verified when the client changes, and refuses a remembered secret once it expires', async () => {
      const { client: c, clientSecret } = await created('ROTATE', ['email']);
      const deps = authDeps();
      await attempt(deps, c.clientId, clientSecret);
      const rotated = await rotateClientSecret({ storage, clock, random: systemRandom, serverKeys, maxSecretGraceSeconds: 3600 }, { actor: CLI_ACTOR, clientId: c.clientId, graceSeconds: 60 });
      deps.directory.invalidate(c.clientId);
      // The old secret still has its grace: checked afresh (the new entry remembers nothing), then remembered.
      expect(await attempt(deps, c.clientId, clientSecret)).toEqual({ passed: true, hmacs: 2 });
      expect(await attempt(deps, c.clientId, clientSecret)).toEqual({ passed: true, hmacs: 0 });
      skew = 61_000;
      try {
        expect((await attempt(deps, c.clientId, clientSecret)).passed).toBe(false);
        expect((await attempt(deps, c.clientId, rotated.clientSecret)).passed).toBe(true);
      } finally {
        skew = 0;
      }
      await storage.clients.setEnabled(c.clientId, false, clock.now());
      deps.directory.invalidate(c.clientId);
      expect(await attempt(deps, c.clientId, rotated.clientSecret)).toEqual({ passed: false, hmacs: 1 });
    });
  });
});
