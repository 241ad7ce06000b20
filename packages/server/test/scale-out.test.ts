import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { storageBackends, type FreshDatabase } from './support/databases.js';
import { REDIS_URL, redisSkip } from './support/redis.js';
import { nginxMissing, startReverseProxy, type ReverseProxy } from './support/nginx.js';
import { spawnServe, type ServedProcess } from './support/served-process.js';
import { basic, freePort, postForm } from './support/test-server.js';

const APPLICATION_NAME = `latchkey_scale_out_${process.pid}`;

const IN_CI = process.env.CI === 'true';
const postgres = (await storageBackends('scale-out behind nginx')).find((b) => b.name === 'PostgreSQL');
const redisProblem = await redisSkip('scale-out behind nginx');
const nginxProblem = nginxMissing();
if (IN_CI && nginxProblem) throw new Error(`CI=true requires nginx for the scale-out suite: ${nginxProblem}`);
const skip = Boolean(postgres?.skip) || Boolean(redisProblem) || nginxProblem !== null;
if (nginxProblem && !IN_CI) console.warn(`scale-out behind nginx: SKIPPED, ${nginxProblem}`);

const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple' };

// How a platform team runs Latchkey: two instances on one PostgreSQL schema with Redis, behind nginx
// (round-robin, keep-alive to the upstreams).
describe.skipIf(skip)('two instances behind nginx on PostgreSQL and Redis', () => {
  let database: FreshDatabase;
  let proxy: ReverseProxy;
  const instances: ServedProcess[] = [];
  let env: Record<string, string>;
  let client = { id: '', secret: '' };

  const token = async (base: string): Promise<number> =>
    (await postForm(`${base}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) })).status;

  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).fresh();
    // The proxy's address is the public one: every instance issues tokens under it.
    const proxyPort = await freePort();
    env = {
      LATCHKEY_ISSUER: `http://127.0.0.1:${proxyPort}`,
      // Named, so the connection cuts below reach only these instances, not other suites sharing the server.
      LATCHKEY_DATABASE_URL: `${database.url}${database.url.includes('?') ? '&' : '?'}application_name=${APPLICATION_NAME}`,
      LATCHKEY_REDIS_URL: REDIS_URL,
      LATCHKEY_DRAIN_SECONDS: '2',
      LATCHKEY_ADMIN_EMAIL: ADMIN.email,
      LATCHKEY_ADMIN_PASSWORD: ADMIN.password,
      LATCHKEY_LOG_LEVEL: 'info',
    };
    instances.push(await spawnServe(env));
    // The second shares the first's server key (it peppers client secrets) through the same data directory.
    instances.push(await spawnServe(env, { dataDir: instances[0]?.dataDir ?? '' }));
    proxy = await startReverseProxy(instances.map((i) => `127.0.0.1:${i.port}`), proxyPort);
    const login = await fetch(`${proxy.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const call = async (path: string, body: unknown): Promise<Record<string, string>> => {
      const response = await fetch(`${proxy.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      expect(response.status, path).toBeLessThan(300);
      return (await response.json()) as Record<string, string>;
    };
    await call('/services', { key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] });
    await call('/applications', { acronym: 'SCALE' });
    await call('/applications/SCALE/approval', { decision: 'approve' });
    const registered = await call('/applications/SCALE/environments/dev', { services: [{ key: 'email' }] });
    client = { id: registered.client_id ?? '', secret: registered.client_secret ?? '' };
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    for (const instance of instances) await instance.dispose();
    await database?.drop();
  });

  it('reports its dependencies at /readyz, Redis included', async () => {
    const ready = await fetch(`${instances[0]?.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', change_feed: 'listening', client_cache: expect.stringMatching(/^warm(ing)?$/) } });
  });

  it('keeps revocation under a second when the LISTEN connection is cut, logs it, and re-makes it', async () => {
    const admin = new pg.Client({ connectionString: database.url.replace(/\?schema=.*$/, '') });
    await admin.connect();
    try {
      const cut = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and query = 'LISTEN latchkey_changes'`, [APPLICATION_NAME]);
      expect(cut.rowCount).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    const [a, b] = instances as [ServedProcess, ServedProcess];
    // A token revoked through one instance is inactive at the other within a second, LISTEN or not.
    const issued = (await (await postForm(`${a.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) })).json()) as { access_token: string };
    const active = async (base: string): Promise<boolean> =>
      ((await (await postForm(`${base}/oauth/introspect`, { token: issued.access_token }, { authorization: basic(client.id, client.secret) })).json()) as { active: boolean }).active;
    expect(await active(b.url)).toBe(true);
    const revokedAt = Date.now();
    expect((await postForm(`${a.url}/oauth/revoke`, { token: issued.access_token }, { authorization: basic(client.id, client.secret) })).status).toBe(200);
    while (await active(b.url)) {
      expect(Date.now() - revokedAt, 'revocation reached the other instance').toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const instance of instances) {
      await waitFor(() => instance.output().includes("the change feed's LISTEN connection is back"), 10_000);
      expect(instance.output()).toContain("the change feed's LISTEN connection was lost");
      const ready = (await (await fetch(`${instance.url}/readyz`)).json()) as { checks: { change_feed: string } };
      expect(ready.checks.change_feed).toBe('listening');
    }
  });

  it('survives the database dropping every connection (pool and LISTEN), and serves on', async () => {
    const admin = new pg.Client({ connectionString: database.url.replace(/\?schema=.*$/, '') });
    await admin.connect();
    try {
      const cut = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()`, [APPLICATION_NAME]);
      expect(cut.rowCount).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const instance of instances) {
      expect(instance.child.exitCode, instance.output().slice(-2_000)).toBeNull();
      await waitFor(async () => (await fetch(`${instance.url}/readyz`).then((r) => r.status, () => 0)) === 200, 10_000);
      expect(await token(instance.url)).toBe(200);
    }
  });

  it('loses no request through nginx while one instance restarts (SIGTERM drains it)', { timeout: 90_000 }, async () => {
    const statuses = new Map<number | string, number>();
    let running = true;
    const load = async (): Promise<void> => {
      while (running) {
        const status = await token(proxy.url).catch((error: unknown) => `fetch failed: ${(error as Error).message}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const loops = Array.from({ length: 8 }, load);
    await new Promise((r) => setTimeout(r, 1_000));
    const first = instances[0] as ServedProcess;
    const stopping = Date.now();
    // Draining: /readyz turns 503 at once while requests are still served.
    const sigterm = first.stop('SIGTERM');
    await waitFor(async () => (await fetch(`${first.url}/readyz`).then((r) => r.status, () => 0)) === 503, 1_500);
    // ...and it still answers, telling keep-alive clients (nginx among them) to reconnect.
    const during = await postForm(`${first.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) });
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    expect(await sigterm).toBe(0);
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(2_000);
    instances[0] = await spawnServe(env, { port: first.port, dataDir: first.dataDir });
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await Promise.all(loops);
    expect(Object.fromEntries(statuses), proxy.errors()).toEqual({ 200: expect.any(Number) });
    expect(statuses.get(200)).toBeGreaterThan(100);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
