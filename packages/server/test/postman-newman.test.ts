import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { createService } from '../src/domain/catalog/create-service.js';
import type { User } from '../src/domain/users/user.js';
import { ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';

// A member downloads the collection from the portal API, and Postman's own command-line runner (newman)
// runs it against the real server: the token request, the introspection, and the example call to a
// service (a loopback stand-in that records what it was sent).
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
  let member: User;
  let memberCookie: string;

  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    service = createServer((request, response) => {
      seenByService.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/v1/messages`;
    dir = mkdtempSync(join(tmpdir(), 'latchkey-newman-'));
    // Email has a base URL in dev (so the collection calls it), Archive has none (so it does not).
    const { runtime } = server;
    await createService({ storage: runtime.storage, clock: runtime.clock, environments: runtime.config.environments }, {
      actor: CLI_ACTOR,
      key: 'email',
      name: 'Email',
      scopes: [{ name: 'email:send', description: '' }],
      baseUrls: { dev: serviceUrl },
    });
    client = await provisionClient(runtime, { acronym: 'PMAN', serviceKeys: { email: ['email:send'], archive: ['archive:read'] } });
    member = await provisionUser(runtime);
    const application = await runtime.storage.applications.getByAcronym('PMAN');
    await runtime.storage.members.add({ applicationId: application?.id ?? '', userId: member.id, role: 'owner', joinedAt: runtime.clock.now() });
    memberCookie = await logIn(server, member.email, USER_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
    await new Promise((resolve) => service?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function collectionFile(): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/applications/pman/environments/dev/postman`, { headers: { cookie: memberCookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="PMAN-dev.postman_collection.json"');
    const file = join(dir, 'collection.json');
    writeFileSync(file, await response.text());
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

  it('is for members and administrators of the application only, and says what is missing', async () => {
    const path = '/applications/PMAN/environments/dev/postman';
    expect((await api(server, 'GET', path)).status).toBe(401);
    const stranger = await provisionUser(server.runtime);
    const strangerCookie = await logIn(server, stranger.email, USER_PASSWORD);
    const refused = await api<{ detail: string }>(server, 'GET', path, { cookie: strangerCookie });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('not a member of PMAN');
    const admin = await logIn(server, ADMIN_ENV.LATCHKEY_ADMIN_EMAIL, ADMIN_ENV.LATCHKEY_ADMIN_PASSWORD);
    const asAdmin = await api<{ variable: { key: string; value: string }[] }>(server, 'GET', path, { cookie: admin });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.variable.find((v) => v.key === 'client_id')?.value).toBe(client.clientId);
    const noEnv = await api<{ detail: string }>(server, 'GET', '/applications/PMAN/environments/prod/postman', { cookie: memberCookie });
    expect(noEnv.status).toBe(404);
    expect(noEnv.body.detail).toContain('no prod client');
    expect((await api(server, 'GET', '/applications/NOSUCH/environments/dev/postman', { cookie: memberCookie })).status).toBe(404);
  });
});
