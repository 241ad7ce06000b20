import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';

interface LogLine {
  readonly msg: string;
  readonly reqId?: string;
}

// One id follows a request through the proxy's logs and ours: taken from X-Request-Id when it is safe,
// else made here, and always sent back.
describe('the request id', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  const raw: string[] = [];
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const log = pino({ level: 'info' }, { write: (line: string) => void (raw.push(line), lines.push(JSON.parse(line) as LogLine)) });
    server = await startTestServer({ log });
    client = await provisionClient(server.runtime, { acronym: 'REQID' });
  });
  afterAll(() => server.dispose());

  const idOf = async (headers: Record<string, string> = {}): Promise<string | null> => (await fetch(`${server.url}/healthz`, { headers })).headers.get('x-request-id');

  it('answers with the X-Request-Id the client sent', async () => {
    expect(await idOf({ 'x-request-id': 'f3b1c2d4-0000-4000-8000-1234567890ab' })).toBe('f3b1c2d4-0000-4000-8000-1234567890ab');
    expect(await idOf({ 'x-request-id': 'Root=1-67891233-abcdef012345678912345678' })).toBe('Root=1-67891233-abcdef012345678912345678');
  });

  it('makes one of its own, different for every request, when none or an unsafe one is sent', async () => {
    const ids = [await idOf(), await idOf(), await idOf({ 'x-request-id': 'a'.repeat(129) }), await idOf({ 'x-request-id': 'two words' }), await idOf({ 'x-request-id': '{"msg":"forged"}' })];
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+-[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers with it on errors too, on every kind of endpoint', async () => {
    const token = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong'), 'x-request-id': 'trace-token-1' });
    expect(token.status).toBe(401);
    expect(token.headers.get('x-request-id')).toBe('trace-token-1');
    const portal = await fetch(`${server.url}/api/v1/applications`, { headers: { 'x-request-id': 'trace-portal-1' } });
    expect(portal.status).toBe(401);
    expect(portal.headers.get('x-request-id')).toBe('trace-portal-1');
    const missing = await fetch(`${server.url}/nowhere`, { headers: { 'x-request-id': 'trace-404-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('trace-404-1');
  });

  it('answers with it on a successful token, whichever dialect issued it', async () => {
    const oauth = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.clientSecret), 'x-request-id': 'trace-ok-1' });
    expect(oauth.status).toBe(200);
    expect(oauth.headers.get('x-request-id')).toBe('trace-ok-1');
    const generated = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(generated.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]+-[0-9a-z]+$/);
    const dialect = await fetch(`${server.url}/api/auth/v1/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-ok-2' },
      body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret }),
    });
    expect(dialect.status).toBe(200);
    expect(dialect.headers.get('x-request-id')).toBe('trace-ok-2');
    expect(dialect.headers.get('cache-control')).toBe('no-store');
  });

  it('is in the log lines the request writes', async () => {
    const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong'), 'x-request-id': 'trace-log-1' });
    expect(response.status).toBe(401);
    const failed = lines.filter((l) => l.msg === 'client authentication failed');
    expect(failed.at(-1)?.reqId).toBe('trace-log-1');

    const generated = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong') });
    const id = generated.headers.get('x-request-id');
    expect(lines.filter((l) => l.msg === 'client authentication failed').at(-1)?.reqId).toBe(id);
  });

  it('binds it once: a line carries a single reqId field', async () => {
    await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong'), 'x-request-id': 'trace-once-1' });
    const line = raw.find((l) => l.includes('trace-once-1')) ?? '';
    expect(line.match(/"reqId"/g)).toHaveLength(1);
  });
});
