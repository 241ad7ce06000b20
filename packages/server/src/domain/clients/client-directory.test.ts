import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { CLI_ACTOR } from '../actor.js';
import { createApplication } from '../applications/create-application.js';
import { createService } from '../catalog/create-service.js';
import { createServerKeyring } from '../secrets/server-key.js';
import type { Storage } from '../storage.js';
import { createClient } from './create-client.js';
import { createClientDirectory } from './client-directory.js';
import { systemRandom } from '../random.js';

describe('the client directory (the token path\'s cache)', () => {
  let database: SqlDatabase;
  let storage: Storage;
  const clock = { now: () => Date.now() };
  const serverKeys = createServerKeyring([randomBytes(32)]);
  const service = (key: string) => createService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key, name: key, scopes: [{ name: `${key}:read`, description: '' }] });
  const client = async (acronym: string, services: string[]) => {
    await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym, status: 'approved' });
    return (await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym, env: 'dev', services: services.map((key) => ({ key })) })).client.clientId;
  };

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
});
