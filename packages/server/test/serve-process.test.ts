import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_PATH, basic, freePort, postForm } from './support/test-server.js';
import { exited, spawnServe, type ServedProcess } from './support/served-process.js';
import { sample, scrape } from './support/metrics-text.js';

const started: ServedProcess[] = [];

async function serve(extra: Record<string, string> = {}, dataDir?: string): Promise<ServedProcess> {
  const served = await spawnServe(extra, dataDir === undefined ? {} : { dataDir });
  started.push(served);
  return served;
}

async function cli(served: ServedProcess, ...args: string[]): Promise<Record<string, string>> {
  const child = spawn(process.execPath, [CLI_PATH, '--json', ...args], { env: served.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  expect(await exited(child)).toBe(0);
  return JSON.parse(stdout) as Record<string, string>;
}

/** Waits until `count` worker processes have logged that they listen. */
async function workersListening(served: ServedProcess, count: number): Promise<void> {
  const listening = (): Set<number> =>
    new Set(
      served
        .output()
        .split('\n')
        .filter((l) => l.includes('Latchkey listening on'))
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    );
  for (let i = 0; i < 400 && listening().size < count; i++) await new Promise((r) => setTimeout(r, 100));
  expect(listening().size).toBe(count);
}

/** One request on a connection of its own (no keep-alive), so that the cluster may give it to any worker. */
function fresh(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, string>) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

afterEach(async () => {
  for (const s of started.splice(0)) await s.dispose();
});

describe('latchkey serve, as a process', () => {
  it('creates its data directory and a 0600 server key, logs JSON, and stops cleanly on SIGTERM after writing usage', async () => {
    const served = await serve({ LATCHKEY_DRAIN_SECONDS: '1' });
    expect(statSync(join(served.dataDir, 'data', 'server.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(served.dataDir, 'data', 'latchkey.db')).isFile()).toBe(true);

    await cli(served, 'service', 'create', '--key', 'email', '--name', 'Email', '--scopes', 'email:send');
    await cli(served, 'app', 'create', '--acronym', 'SIGTERM');
    const client = await cli(served, 'client', 'create', '--app', 'SIGTERM', '--env', 'dev', '--service', 'email');
    let response: Response | null = null;
    for (let i = 0; i < 50 && response?.status !== 200; i++) {
      response = await postForm(`${served.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.client_id ?? '', client.client_secret ?? '') });
      if (response.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(response?.status).toBe(200);

    served.child.kill('SIGTERM');
    expect(await exited(served.child)).toBe(0);
    const lines = served.output().trim().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(expect.arrayContaining([expect.stringContaining('Latchkey listening on'), expect.stringContaining('draining'), 'stopped']));
    expect(served.output()).not.toContain(client.client_secret ?? 'no secret');

    // The batched last-used time was written on the way out.
    const listed = (await cli(served, 'client', 'list')) as unknown as { items: { last_used_at: string | null }[] };
    expect(listed.items[0]?.last_used_at).not.toBeNull();
  });

  it('on SIGTERM, cuts a connection whose request never completes after a few seconds and stops cleanly', async () => {
    const served = await serve({ LATCHKEY_DRAIN_SECONDS: '0' });
    // Headers begun and never finished: without a cut it holds the server until Node's header timeout.
    const socket = connect(Number(new URL(served.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    served.child.kill('SIGTERM');
    expect(await exited(served.child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(9_000);
    await closed;
    expect(served.output()).toContain('"stopped"');
  });

  it('with LATCHKEY_MIGRATE=off, refuses a schema that is behind until latchkey migrate has run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-migrate-'));
    const env = { ...process.env, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_MIGRATE: 'off' };
    try {
      await expect(serve({ LATCHKEY_DATA_DIR: dataDir, LATCHKEY_MIGRATE: 'off' })).rejects.toThrow(/LATCHKEY_MIGRATE=off and the database lacks \d+ migration\(s\).*run `latchkey migrate` first/);
      const migrate = spawn(process.execPath, [CLI_PATH, '--json', 'migrate'], { env, stdio: 'ignore' });
      expect(await exited(migrate)).toBe(0);
      const served = await serve({ LATCHKEY_DATA_DIR: dataDir, LATCHKEY_MIGRATE: 'off' });
      expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fills its client cache at start-up and says so at /readyz; with LATCHKEY_CLIENT_CACHE_WARM=false it reads on demand', async () => {
    // No drain on SIGTERM: each instance stops at once for the next.
    const first = await serve({ LATCHKEY_DRAIN_SECONDS: '0' });
    await cli(first, 'service', 'create', '--key', 'email', '--name', 'Email', '--scopes', 'email:send');
    await cli(first, 'app', 'create', '--acronym', 'WARM');
    const created = await cli(first, 'client', 'create', '--app', 'WARM', '--env', 'dev', '--service', 'email');
    await first.stop();
    const cacheState = async (served: ServedProcess): Promise<string | undefined> =>
      ((await (await fetch(`${served.url}/readyz`)).json()) as { checks: { client_cache?: string } }).checks.client_cache;

    const warm = await serve({ LATCHKEY_DRAIN_SECONDS: '0', LATCHKEY_LOG_LEVEL: 'info' }, first.dataDir);
    for (let i = 0; i < 100 && (await cacheState(warm)) !== 'warm'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await cacheState(warm)).toBe('warm');
    expect(warm.output()).toMatch(/"clients":1,"ms":\d+,"msg":"client cache warmed"/);
    const token = await postForm(`${warm.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(created.client_id ?? '', created.client_secret ?? '') });
    expect(token.status).toBe(200);
    await warm.stop();

    const cold = await serve({ LATCHKEY_CLIENT_CACHE_WARM: 'false', LATCHKEY_LOG_LEVEL: 'info' }, first.dataDir);
    expect(await cacheState(cold)).toBe('on_demand');
    expect(cold.output()).not.toContain('client cache warmed');
  });

  it('refuses to start on an invalid variable, naming it', async () => {
    await expect(serve({ LATCHKEY_PORT: 'http' })).rejects.toThrow(/LATCHKEY_PORT=http is not valid/);
  });

  it('serves from several worker processes with LATCHKEY_WORKERS', { timeout: 90_000 }, async () => {
    const served = await serve({ LATCHKEY_WORKERS: '2' });
    await workersListening(served, 2);
    expect((await fetch(`${served.url}/oauth/jwks`)).status).toBe(200);
    served.child.kill('SIGTERM');
    expect(await exited(served.child)).toBe(0);
  });

  it('holds a regenerated secret on the next request whichever worker answers it', { timeout: 90_000 }, async () => {
    // Workers poll the change log only every minute here: only the sync between workers can pass this.
    const served = await serve({ LATCHKEY_WORKERS: '2', LATCHKEY_CHANGE_POLL_MS: '60000', LATCHKEY_ADMIN_EMAIL: 'admin@example.org', LATCHKEY_ADMIN_PASSWORD: 'correct horse battery staple' });
    await workersListening(served, 2);
    const call = (method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; body: Record<string, string> }> =>
      fresh(served.url, method, path, { 'content-type': 'application/json', cookie }, body === undefined ? undefined : JSON.stringify(body));
    const login = await fresh(served.url, 'POST', '/api/v1/session', { 'content-type': 'application/json' }, JSON.stringify({ email: 'admin@example.org', password: 'correct horse battery staple' }));
    const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    expect((await call('POST', '/api/v1/services', cookie, { key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] })).status).toBe(201);
    expect((await call('POST', '/api/v1/applications', cookie, { acronym: 'WORKERS' })).status).toBe(201);
    expect((await call('POST', '/api/v1/applications/WORKERS/approval', cookie, { decision: 'approve' })).status).toBe(200);
    const registered = await call('POST', '/api/v1/applications/WORKERS/environments/dev', cookie, { services: [{ key: 'email' }] });
    expect(registered.status).toBe(201);
    const token = async (secret: string): Promise<number> =>
      (await fresh(served.url, 'POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(registered.body.client_id ?? '', secret) }, 'grant_type=client_credentials')).status;
    let secret = registered.body.client_secret ?? '';
    for (let round = 0; round < 5; round++) {
      // Each request on a new connection: the cluster hands them to the workers in turn, so both cache the client.
      for (let i = 0; i < 4; i++) expect(await token(secret)).toBe(200);
      const regenerated = await call('POST', '/api/v1/applications/WORKERS/environments/dev/secret', cookie, {});
      expect(regenerated.status).toBe(200);
      const next = regenerated.body.client_secret ?? '';
      for (let i = 0; i < 4; i++) {
        expect(await token(secret), `round ${round}, request ${i}: the old secret`).toBe(401);
        expect(await token(next), `round ${round}, request ${i}: the new secret`).toBe(200);
      }
      secret = next;
    }
  });

  /** Ten GETs of /healthz, each on a connection of its own; resolves with the pids that answered (from the access log). */
  async function healthChecks(served: ServedProcess): Promise<Set<number>> {
    for (let i = 0; i < 10; i++) expect((await fresh(served.url, 'GET', '/healthz', {})).status).toBe(200);
    const logged = (): { pid: number }[] =>
      served
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; route?: string; pid: number })
        .filter((l) => l.msg === 'request' && l.route === '/healthz');
    // Log lines are written asynchronously.
    for (let i = 0; i < 100 && logged().length < 10; i++) await new Promise((r) => setTimeout(r, 50));
    const answered = logged();
    expect(answered).toHaveLength(10);
    return new Set(answered.map((l) => l.pid));
  }
  const healthz = { method: 'GET', route: '/healthz', status_class: '2xx' };

  it('sums every worker\'s metrics in one scrape of the main port', { timeout: 90_000 }, async () => {
    const served = await serve({ LATCHKEY_WORKERS: '2', LATCHKEY_ACCESS_LOG: 'all' });
    await workersListening(served, 2);
    expect((await healthChecks(served)).size).toBe(2);
    // Whichever worker this scrape reaches, it shows both workers' requests.
    for (let i = 0; i < 2; i++) expect(sample(await scrape(served.url), 'latchkey_http_requests_total', healthz)).toBe(10);
  });

  it('serves every worker\'s metrics from the primary on LATCHKEY_METRICS_PORT', { timeout: 90_000 }, async () => {
    const metricsPort = await freePort();
    const served = await serve({ LATCHKEY_WORKERS: '2', LATCHKEY_ACCESS_LOG: 'all', LATCHKEY_METRICS_PORT: String(metricsPort) });
    await workersListening(served, 2);
    expect((await healthChecks(served)).size).toBe(2);
    expect((await fetch(`${served.url}/metrics`)).status).toBe(404);
    const text = await scrape(`http://127.0.0.1:${metricsPort}`);
    expect(sample(text, 'latchkey_http_requests_total', healthz)).toBe(10);
    expect(sample(text, 'latchkey_http_request_duration_seconds_count', { method: 'GET', route: '/healthz' })).toBe(10);
    served.child.kill('SIGTERM');
    expect(await exited(served.child)).toBe(0);
  });
});
