import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { httpDepsOf } from '../src/main.js';
import { PORTAL_WRITE_SCOPE, type Principal } from '../src/domain/users/principal.js';
import type { User } from '../src/domain/users/user.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, signUpAndLogIn, type Problem } from './support/portal-client.js';

// The bearer seam (personal access tokens fill it): an app over the test server's runtime, with a stub.
describe('Authorization: Bearer through deps.authenticateBearer', () => {
  let server: TestServer;
  let app: FastifyInstance;
  let bearerServer: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    const admin = (await server.runtime.storage.users.getByEmail(ADMIN.email)) as User;
    const plain = (await signUpAndLogIn(server, { email: 'plain@example.org' })).id;
    const plainUser = (await server.runtime.storage.users.get(plain)) as User;
    const tokens: Record<string, Principal> = {
      'read-token': { user: admin, via: 'token', credentialId: 'jti-read', scopes: ['portal:read'] },
      'write-token': { user: admin, via: 'token', credentialId: 'jti-write', scopes: [PORTAL_WRITE_SCOPE] },
      // Issued when the user was an administrator; the stored user decides, not the token.
      'stale-token': { user: { ...plainUser, roles: ['admin'] }, via: 'token', credentialId: 'jti-stale', scopes: [PORTAL_WRITE_SCOPE] },
      'ghost-token': { user: { ...admin, id: 'no-such-user' }, via: 'token', credentialId: 'jti-ghost', scopes: [PORTAL_WRITE_SCOPE] },
    };
    app = await buildApp(
      {
        ...httpDepsOf(server.runtime),
        // As the seam's contract says (and authenticatePersonalToken does): the user as stored now, or null.
        authenticateBearer: async (token) => {
          const principal = tokens[token];
          const user = principal ? await server.runtime.storage.users.get(principal.user.id) : null;
          return principal && user && user.disabledAt === null ? { ...principal, user } : null;
        },
      },
      { logger: pino({ level: 'silent' }), dialects: ['oauth2'] },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    bearerServer = { ...server, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  });
  afterAll(async () => {
    await app.close();
    await server.dispose();
  });

  it('authenticates a valid token as its user, with the token scopes', async () => {
    const me = await api<{ via: string; scopes: string[] }>(bearerServer, 'GET', '/session', { bearer: 'read-token' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'token', scopes: ['portal:read'] });
  });

  it('lets a token without the write scope read but not change anything', async () => {
    expect((await api(bearerServer, 'GET', '/services', { bearer: 'read-token' })).status).toBe(200);
    const refused = await api<Problem>(bearerServer, 'POST', '/services', { bearer: 'read-token', body: { key: 'ro', name: 'RO', scopes: [] } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain(PORTAL_WRITE_SCOPE);
    expect((await api(bearerServer, 'POST', '/services', { bearer: 'write-token', body: { key: 'rw', name: 'RW', scopes: [] } })).status).toBe(201);
  });

  it('is not subject to the same-origin guard (no cookie rides along), but an unknown token is a 401', async () => {
    const crossSite = await api(bearerServer, 'PATCH', '/services/rw', { bearer: 'write-token', body: { name: 'RW2' }, headers: { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(200);
    expect((await api(bearerServer, 'GET', '/session', { bearer: 'unknown' })).status).toBe(401);
    expect((await api(bearerServer, 'GET', '/session', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('goes by the roles in storage, not those the token carried; a token of a user who is gone is a 401', async () => {
    const me = await api<{ user: { roles: string[] } }>(bearerServer, 'GET', '/session', { bearer: 'stale-token' });
    expect(me.body.user.roles).toEqual([]);
    expect((await api(bearerServer, 'POST', '/services', { bearer: 'stale-token', body: { key: 'stale', name: 'S', scopes: [] } })).status).toBe(403);
    expect((await api(bearerServer, 'GET', '/session', { bearer: 'ghost-token' })).status).toBe(401);
  });
});
