import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type TestServer } from './support/test-server.js';

interface AccessLine {
  readonly msg: string;
  readonly reqId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly duration_ms: number;
  readonly address: string;
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.dispose();
});

/** A server with LATCHKEY_ACCESS_LOG=`mode`, logging at `warn` (the access log does not depend on the level). */
async function serve(env: Record<string, string>): Promise<{ server: TestServer; access: () => AccessLine[] }> {
  const lines: AccessLine[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as AccessLine) });
  const server = await startTestServer({ env, log });
  servers.push(server);
  return { server, access: () => lines.filter((l) => l.msg === 'request') };
}

/** Six successful token requests, one failed one, and one portal request. */
async function traffic(server: TestServer): Promise<void> {
  const client = await provisionClient(server.runtime, { acronym: `LOG${Math.random().toString(36).slice(2, 6).toUpperCase()}` });
  for (let i = 0; i < 6; i++) await tokenFor(server, client);
  expect((await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong') })).status).toBe(401);
  expect((await fetch(`${server.url}/api/v1/services`, { headers: { 'x-request-id': 'portal-call-1' } })).status).toBe(401);
}

describe('the access log (LATCHKEY_ACCESS_LOG)', () => {
  it('is off by default', async () => {
    const { server, access } = await serve({});
    await traffic(server);
    expect(access()).toEqual([]);
  });

  it('all: one JSON line per request with method, route, status, duration, address and request id', async () => {
    const { server, access } = await serve({ LATCHKEY_ACCESS_LOG: 'all' });
    await traffic(server);
    const token = access().filter((l) => l.route === '/oauth/token');
    expect(token.map((l) => l.status)).toEqual([200, 200, 200, 200, 200, 200, 401]);
    const portal = access().find((l) => l.route === '/api/v1/services');
    expect(portal).toMatchObject({ reqId: 'portal-call-1', method: 'GET', status: 401, address: '127.0.0.1' });
    expect(portal?.duration_ms).toEqual(expect.any(Number));
    expect(portal?.duration_ms).toBeGreaterThan(0);
  });

  it('errors: only responses with status 400 or more', async () => {
    const { server, access } = await serve({ LATCHKEY_ACCESS_LOG: 'errors' });
    await traffic(server);
    expect(access().map((l) => [l.route, l.status])).toEqual([
      ['/oauth/token', 401],
      ['/api/v1/services', 401],
    ]);
  });

  it('sampled: every failure and every other request, but only one in N successful token requests', async () => {
    const { server, access } = await serve({ LATCHKEY_ACCESS_LOG: 'sampled', LATCHKEY_ACCESS_LOG_SAMPLE: '3' });
    await traffic(server);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const token = access().filter((l) => l.route === '/oauth/token');
    expect(token.map((l) => l.status)).toEqual([200, 200, 401]);
    expect(access().filter((l) => l.route === '/api/v1/services')).toHaveLength(1);
    expect(access().filter((l) => l.route === '/healthz')).toHaveLength(1);
  });

  it('never writes the query string or the body (they may carry credentials)', async () => {
    const { server, access } = await serve({ LATCHKEY_ACCESS_LOG: 'all' });
    await fetch(`${server.url}/Token?grant_type=password&username=ada%40example.org&password=hunter2hunter2`);
    const line = access().find((l) => l.route === '/Token');
    expect(line).toBeDefined();
    expect(JSON.stringify(access())).not.toContain('hunter2');
  });
});
