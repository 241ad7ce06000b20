import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_POLICY } from '../src/domain/users/login-throttle.js';
import { requestFrom } from './support/from-address.js';
import { ADMIN_ENV, api } from './support/portal-client.js';
import { personalToken, userWith } from './support/personal-tokens.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

// The test client connects from 127.0.0.1, which plays the reverse proxy; the addresses it forwards are
// other loopback addresses, standing for the clients behind it.
const ATTACKER = '127.0.0.66';
const OWNER = '127.0.0.77';

const logIn = (server: TestServer, email: string, password: string, forwardedFor: string) =>
  api(server, 'POST', '/session', { body: { email, password }, headers: { 'x-forwarded-for': forwardedFor } });

async function auditedAddresses(server: TestServer, action: string, target: string): Promise<(string | null)[]> {
  await server.runtime.settleDeferred();
  const events = await server.runtime.storage.audit.list({ limit: 200, action, targets: [target] });
  return events.map((e) => e.address);
}

describe('behind a trusted proxy (LATCHKEY_TRUSTED_PROXIES)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_TRUSTED_PROXIES: '127.0.0.1,::1/128' } });
  });
  afterAll(() => server?.dispose());

  it('throttles the attacker behind the proxy, not the owner behind the same proxy, and audits each one’s address', async () => {
    const owner = await provisionUser(server.runtime);
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.pair.free; i++) expect((await logIn(server, owner.email, `guess ${i}`, ATTACKER)).status).toBe(401);
    expect((await logIn(server, owner.email, 'one guess more', ATTACKER)).status).toBe(429);

    expect((await logIn(server, owner.email, USER_PASSWORD, OWNER)).status).toBe(200);
    const failed = await auditedAddresses(server, 'user.login_failed', `user:${owner.id}`);
    expect(failed).toHaveLength(DEFAULT_THROTTLE_POLICY.pair.free);
    expect(new Set(failed)).toEqual(new Set([ATTACKER]));
    expect(await auditedAddresses(server, 'session.started', `user:${owner.id}`)).toEqual([OWNER]);
  });

  it('takes the nearest address the proxy did not add itself: entries a client wrote into the header are ignored', async () => {
    const owner = await provisionUser(server.runtime);
    // The attacker sends "X-Forwarded-For: <owner>"; the proxy appends the attacker's real address.
    expect((await logIn(server, owner.email, 'a guess', `${OWNER}, ${ATTACKER}`)).status).toBe(401);
    expect(await auditedAddresses(server, 'user.login_failed', `user:${owner.id}`)).toEqual([ATTACKER]);
  });

  it('ignores X-Forwarded-For from an address that is not a trusted proxy', async () => {
    const owner = await provisionUser(server.runtime);
    const response = await requestFrom('127.0.0.2', `${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': OWNER },
      body: JSON.stringify({ email: owner.email, password: 'a guess' }),
    });
    expect(response.status).toBe(401);
    expect(await auditedAddresses(server, 'user.login_failed', `user:${owner.id}`)).toEqual(['127.0.0.2']);
  });

  it('records the forwarded address as the last use of a personal access token', async () => {
    const owner = await userWith(server, ['pat']);
    const { record, token } = await personalToken(server, owner);
    expect((await api(server, 'GET', '/session', { bearer: token, headers: { 'x-forwarded-for': OWNER } })).status).toBe(200);
    await server.runtime.flushUsage();
    const listed = await api<{ items: { id: string; last_used_from: string | null }[] }>(server, 'GET', '/me/tokens', { cookie: owner.cookie });
    expect(listed.body.items.find((t) => t.id === record.id)?.last_used_from).toBe(OWNER);
  });
});

describe('behind a trusted IPv6 proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_HOST: '::1', LATCHKEY_TRUSTED_PROXIES: '::1' } });
  });
  afterAll(() => server?.dispose());

  it('believes the X-Forwarded-For of a proxy listed by its IPv6 address', async () => {
    const owner = await provisionUser(server.runtime);
    expect(server.url).toMatch(/^http:\/\/\[::1\]:/);
    expect((await logIn(server, owner.email, 'a guess', ATTACKER)).status).toBe(401);
    expect(await auditedAddresses(server, 'user.login_failed', `user:${owner.id}`)).toEqual([ATTACKER]);
  });
});

describe('with LATCHKEY_TRUSTED_PROXIES unset', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
  });
  afterAll(() => server?.dispose());

  it('ignores X-Forwarded-For: a client cannot escape the throttle or choose its audited address by sending one', async () => {
    const owner = await provisionUser(server.runtime);
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.pair.free; i++) expect((await logIn(server, owner.email, `guess ${i}`, `127.0.1.${i + 1}`)).status).toBe(401);
    expect((await logIn(server, owner.email, 'one guess more', '127.0.2.1')).status).toBe(429);
    const failed = await auditedAddresses(server, 'user.login_failed', `user:${owner.id}`);
    expect(new Set(failed)).toEqual(new Set(['127.0.0.1']));
  });
});
