import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/domain/audit/audit-event.js';
import { createService } from '../src/domain/catalog/create-service.js';
import { exportPostmanCollection } from '../src/domain/postman/export-postman-collection.js';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';

// Postman's own command-line runner (newman) runs the collection against a real server: the token
// request, the introspection, and the example call to a service (a loopback stand-in that records what
// it was sent).
const run = promisify(execFile);
const NEWMAN = fileURLToPath(new URL('../../../node_modules/newman/bin/newman.js', import.meta.url));

interface NewmanReport {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { message: string } }[];
    executions: { item: { name: string }; response?: { code: number } }[];
  };
}

describe('the Postman collection, run by newman', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let service: Server;
  let serviceUrl: string;
  const seenByService: (string | undefined)[] = [];
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    service = createServer((request, response) => {
      seenByService.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/v1/messages`;
    dir = mkdtempSync(join(tmpdir(), 'latchkey-newman-'));
    // Email has a base URL in dev (so the collection calls it), Archive has none (so it does not).
    const { runtime } = server;
    await createService({ storage: runtime.storage, clock: runtime.clock, environments: runtime.config.environments }, CLI_ACTOR, {
      key: 'email',
      name: 'Email',
      scopes: [{ name: 'email:send', description: '' }],
      baseUrls: { dev: serviceUrl },
    });
    client = await provisionClient(runtime, { acronym: 'PMAN', serviceKeys: { email: ['email:send'], archive: ['archive:read'] } });
  });
  afterAll(async () => {
    await server?.dispose();
    await new Promise((resolve) => service?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function collectionFile(): Promise<string> {
    // As the route builds it, for an administrator (members get the same).
    const admin = { userId: 'admin', admin: true, address: null };
    const collection = await exportPostmanCollection({ storage: server.runtime.storage, issuer: server.runtime.config.issuer }, admin, { acronym: 'pman', env: 'dev' });
    const file = join(dir, 'collection.json');
    writeFileSync(file, JSON.stringify(collection));
    return file;
  }

  async function newman(collection: string, secret: string | null): Promise<NewmanReport> {
    const report = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    const args = [NEWMAN, 'run', collection, '--reporters', 'json', '--reporter-json-export', report, '--disable-unicode', ...(secret === null ? [] : ['--env-var', `client_secret=${secret}`])];
    await run(process.execPath, args).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error; // 1: some assertion failed; the report says which
    });
    return JSON.parse(readFileSync(report, 'utf8')) as NewmanReport;
  }

  it('gets a token with the secret given on the command line, introspects it as active, and calls the service with it', async () => {
    const file = await collectionFile();
    expect(readFileSync(file, 'utf8')).not.toContain(client.clientSecret);
    const report = await newman(file, client.clientSecret);
    expect(report.run.failures.map((f) => f.error.message)).toStrictEqual([]);
    expect(report.run.executions.map((e) => [e.item.name, e.response?.code])).toStrictEqual([
      ['Get an access token', 200],
      ['Introspect the token', 200],
      ['Call Email', 200],
    ]);
    expect(report.run.stats.assertions).toMatchObject({ total: 3, failed: 0 });
    expect(seenByService).toHaveLength(1);
    expect(seenByService[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('without the secret, stops at the token request with a message saying to set it', async () => {
    const report = await newman(await collectionFile(), null);
    expect(report.run.failures.length).toBeGreaterThan(0);
    expect(report.run.failures[0]?.error.message).toContain('client_secret is empty');
  });
});
