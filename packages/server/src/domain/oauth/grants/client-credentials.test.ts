import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../../storage/database.js';
import { createSqlStorage } from '../../../storage/sql-storage.js';
import { CLI_ACTOR } from '../../actor.js';
import { systemRandom } from '../../random.js';
import { createApplication } from '../../applications/create-application.js';
import { createService } from '../../catalog/create-service.js';
import { createClientDirectory } from '../../clients/client-directory.js';
import { createClientUsage } from '../../clients/client-usage.js';
import { createClient } from '../../clients/create-client.js';
import { createKeyManager } from '../../keys/key-manager.js';
import { ensureSigningKeys } from '../../keys/rotate-signing-key.js';
import { createServerKeyring } from '../../secrets/server-key.js';
import type { IssuedToken } from '../issue-client-token.js';
import { clientCredentialsGrant, type ClientCredentialsDeps } from './client-credentials.js';

function decoded(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('the client_credentials grant', () => {
  let database: SqlDatabase;
  const now = Date.UTC(2026, 0, 1, 12);
  const clock = { now: () => now };
  const issuer = 'https://auth.example.org';
  let deps: ClientCredentialsDeps;
  let credentials = { clientId: '', clientSecret: '' };
  let sibling = { clientId: '', clientSecret: '' };
  let jtis = 0;

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    const storage = createSqlStorage(database);
    const serverKeys = createServerKeyring([randomBytes(32)]);
    const policy = { publishLeadMs: 30_000, retainMs: 3_600_000 };
    const keys = createKeyManager({ serverKeys, clock, policy });
    keys.load(await ensureSigningKeys({ storage, clock, serverKeys, policy, alg: 'ES256' }));
    await createService({ storage, clock, environments: ['dev'] }, { actor: CLI_ACTOR, key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] });
    await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym: 'APP', status: 'approved' });
    const created = await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym: 'APP', env: 'dev', services: [{ key: 'email' }], tokenTtl: 60 });
    credentials = { clientId: created.client.clientId, clientSecret: created.clientSecret };
    await createApplication({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, acronym: 'TWIN', status: 'approved' });
    const twin = await createClient({ storage, clock, random: systemRandom, serverKeys, environments: ['dev'] }, { actor: CLI_ACTOR, acronym: 'TWIN', env: 'dev', services: [{ key: 'email' }], tokenTtl: 60 });
    sibling = { clientId: twin.client.clientId, clientSecret: twin.clientSecret };
    // Token ids from the injected source, so the test can name them.
    const random = { uuid: () => `jti-${++jtis}`, bytes: (length: number) => Buffer.alloc(length) };
    deps = { directory: createClientDirectory(storage), serverKeys, usage: createClientUsage(), clock, keys, random, issuer };
  });
  afterAll(() => database.close());

  const handle = (params: Record<string, string[]> = {}, presented: typeof credentials | null = credentials) =>
    clientCredentialsGrant.handle(deps, { credentials: presented, params, address: '127.0.0.1' });

  it('reads an unknown client first, then answers a cached one without a promise', async () => {
    const first = handle();
    expect(first).toBeInstanceOf(Promise);
    await first;
    const token = handle({ scope: ['email:send'] });
    expect(token).not.toBeInstanceOf(Promise);
    expect((token as IssuedToken).scope).toBe('email:send');
  });

  it('signs an RFC 9068 token: the key’s header, the registered claims in order, the jti from the injected random', async () => {
    const token = await handle();
    const [header, payload] = token.accessToken.split('.');
    expect(Object.keys(decoded(header))).toEqual(['alg', 'typ', 'kid']);
    expect(decoded(header)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decoded(payload);
    expect(Object.keys(claims)).toEqual(['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'env', 'app']);
    expect(claims).toMatchObject({ iss: issuer, sub: credentials.clientId, iat: now / 1000, exp: now / 1000 + 60, jti: `jti-${jtis}`, env: 'dev', app: 'APP' });
    expect(token).toMatchObject({ jti: `jti-${jtis}`, expiresIn: 60, expiresAt: now + 60_000, tokenType: 'Bearer' });
  });

  it('shares the worked-out grants of clients granted alike, never their claims', async () => {
    for (const scope of [undefined, 'email:send']) {
      const params: Record<string, string[]> = scope ? { scope: [scope] } : {};
      const [ours, theirs] = [await handle(params), await handle(params, sibling)];
      expect(decoded(ours.accessToken.split('.')[1])).toMatchObject({ sub: credentials.clientId, client_id: credentials.clientId, app: 'APP' });
      expect(decoded(theirs.accessToken.split('.')[1])).toMatchObject({ sub: sibling.clientId, client_id: sibling.clientId, app: 'TWIN' });
    }
    const [a, b] = [deps.directory.cached(credentials.clientId), deps.directory.cached(sibling.clientId)];
    expect(a?.entitlements).toBe(b?.entitlements);
    expect(a?.client.grants).toBe(b?.client.grants);
  });

  it('refuses a request without credentials, and a bad client before looking at its parameters', () => {
    expect(() => handle({}, null)).toThrow(expect.objectContaining({ code: 'bad_credentials' }));
    const wrong = { ...credentials, clientSecret: `${credentials.clientSecret}x` };
    expect(() => handle({ scope: ['a', 'b'] }, wrong)).toThrow(expect.objectContaining({ code: 'bad_credentials' }));
    expect(() => handle({ scope: ['a', 'b'] })).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});
