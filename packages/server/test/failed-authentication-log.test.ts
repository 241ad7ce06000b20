import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';

interface LogLine { msg: string; client_id?: string; address?: string }

// An operator reading the log after an attack or a misconfigured client needs to know which client id
// was presented, however it was presented, and never the secret.
describe('a failed client authentication is logged with the client id that was presented', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
    server = await startTestServer({ log });
    client = await provisionClient(server.runtime, { acronym: 'AUDITLOG' });
  });
  afterAll(() => server.dispose());

  const failures = (): LogLine[] => lines.filter((l) => l.msg === 'client authentication failed');

  it('names the id from a Basic header', async () => {
    const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'lks_wrong') });
    expect(response.status).toBe(401);
    expect(failures().at(-1)).toMatchObject({ client_id: client.clientId, address: '127.0.0.1' });
    expect(JSON.stringify(lines)).not.toContain('lks_wrong');
  });

  it('names the id from the body (client_secret_post)', async () => {
    const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials', client_id: 'nobody-dev-1', client_secret: 'x' });
    expect(response.status).toBe(401);
    expect(failures().at(-1)).toMatchObject({ client_id: 'nobody-dev-1' });
  });

  it('names no id when the header cannot be read', async () => {
    const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' });
    expect(response.status).toBe(401);
    const last = failures().at(-1);
    expect(last).toBeDefined();
    expect(last).not.toHaveProperty('client_id');
  });
});
