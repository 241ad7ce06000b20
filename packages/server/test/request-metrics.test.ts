import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { httpDepsOf } from '../src/main.js';
import { enqueueMail } from '../src/domain/mail/enqueue-mail.js';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { sample, scrape } from './support/metrics-text.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';

const postgres = (await storageBackends('database pool metrics')).find((b) => b.name === 'PostgreSQL');

const BIG = 32 * 1024 * 1024; // well past what the loopback socket buffers hold

/** GET `path` on a connection of its own, reading nothing for `pauseMs`, then everything; resolves with the bytes read. */
function slowGet(base: string, path: string, pauseMs: number): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
      socket.pause();
      setTimeout(() => socket.resume(), pauseMs);
    });
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('end', () => resolve(bytes));
    socket.on('error', reject);
  });
}

describe('request metrics, over a real socket', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let resourceServer: ProvisionedClient;
  const webRoot = mkdtempSync(join(tmpdir(), 'latchkey-metrics-web-'));
  let portal: FastifyInstance;
  let portalUrl: string;

  beforeAll(async () => {
    // Mail is delivered only when a test says so.
    server = await startTestServer({ env: { LATCHKEY_MAIL_POLL_MS: '600000' } });
    client = await provisionClient(server.runtime, { acronym: 'METRICS' });
    resourceServer = await provisionClient(server.runtime, { acronym: 'METRICSRS' });
    // A second app over the same runtime, serving a built portal with one large file.
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><head></head>');
    writeFileSync(join(webRoot, 'assets', 'big-abc123.js'), Buffer.alloc(BIG, 'a'));
    portal = await buildApp(httpDepsOf(server.runtime), { logger: pino({ level: 'silent' }), dialects: ['oauth2'], webRoot });
    await portal.listen({ host: '127.0.0.1', port: 0 });
    portalUrl = `http://127.0.0.1:${(portal.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await portal.close();
    await server.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('times a response until its last byte is sent: a client that reads slowly is seen as slow', async () => {
    // The handler returns at once (a file stream); only the sending takes long.
    expect(await slowGet(portalUrl, '/assets/big-abc123.js', 600)).toBeGreaterThan(BIG);
    const text = await scrape(portalUrl);
    const labels = { method: 'GET', route: '/assets/:file' };
    expect(sample(text, 'latchkey_http_request_duration_seconds_count', labels)).toBe(1);
    expect(sample(text, 'latchkey_http_request_duration_seconds_sum', labels)).toBeGreaterThanOrEqual(0.5);
    expect(sample(text, 'latchkey_http_request_duration_seconds_bucket', { ...labels, le: '0.25' })).toBe(0);
  });

  it('labels a request with its route pattern, never its URL, and counts it by status class', async () => {
    expect((await fetch(`${server.url}/api/v1/applications/SECRETNAME`)).status).toBe(401);
    expect((await fetch(`${server.url}/no/such/place-xyz?token=abc`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const text = await scrape(server.url);
    expect(sample(text, 'latchkey_http_requests_total', { method: 'GET', route: '/api/v1/applications/:acronym', status_class: '4xx' })).toBe(1);
    expect(sample(text, 'latchkey_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(sample(text, 'latchkey_http_requests_total', { method: 'GET', route: '/healthz', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'latchkey_http_request_duration_seconds_count', { method: 'GET', route: '/healthz' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('SECRETNAME');
    expect(text).not.toContain('place-xyz');
  });

  it('resolves a fast token request below a millisecond or so, not in one catch-all first bucket', async () => {
    for (let i = 0; i < 20; i++) await tokenFor(server, client);
    const text = await scrape(server.url);
    const labels = { method: 'POST', route: '/oauth/token' };
    const count = sample(text, 'latchkey_http_request_duration_seconds_count', labels) ?? 0;
    expect(count).toBeGreaterThanOrEqual(20);
    // The finest bucket (0.1 ms) is below any real request over a socket; the buckets above it tell them apart.
    expect(sample(text, 'latchkey_http_request_duration_seconds_bucket', { ...labels, le: '0.0001' })).toBe(0);
    expect(sample(text, 'latchkey_http_request_duration_seconds_bucket', { ...labels, le: '0.05' })).toBeGreaterThan(0);
  });

  it('counts and times a dialect token answered as written directly', async () => {
    const response = await fetch(`${server.url}/api/auth/v1/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret }),
    });
    expect(response.status).toBe(200);
    const text = await scrape(server.url);
    const labels = { method: 'POST', route: '/api/auth/v1/authenticate' };
    expect(sample(text, 'latchkey_http_requests_total', { ...labels, status_class: '2xx' })).toBe(1);
    expect(sample(text, 'latchkey_http_request_duration_seconds_count', labels)).toBe(1);
  });

  it('counts introspections by result and revocations by outcome', async () => {
    const caller = { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) };
    const token = await tokenFor(server, client);
    await postForm(`${server.url}/oauth/introspect`, { token }, caller);
    await postForm(`${server.url}/oauth/introspect`, { token: 'garbage' }, caller);
    await postForm(`${server.url}/oauth/introspect`, { token: 'more-garbage' }, caller);
    const owner = { authorization: basic(client.clientId, client.clientSecret) };
    expect((await postForm(`${server.url}/oauth/revoke`, { token }, owner)).status).toBe(200);
    expect((await postForm(`${server.url}/oauth/revoke`, { token: 'garbage' }, owner)).status).toBe(200);
    const text = await scrape(server.url);
    expect(sample(text, 'latchkey_introspections_total', { result: 'active' })).toBe(1);
    expect(sample(text, 'latchkey_introspections_total', { result: 'inactive' })).toBe(2);
    expect(sample(text, 'latchkey_revocations_total', { outcome: 'revoked' })).toBe(1);
    expect(sample(text, 'latchkey_revocations_total', { outcome: 'none' })).toBe(1);
  });

  it('reports how long after its commit this process applied a change made by another process', async () => {
    const before = sample(await scrape(server.url), 'latchkey_change_feed_lag_seconds_count') ?? 0;
    expect((await server.cli(['service', 'create', '--key', 'lagged', '--name', 'Lagged', '--scopes', 'a'])).code).toBe(0);
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await scrape(server.url);
      if ((sample(text, 'latchkey_change_feed_lag_seconds_count') ?? 0) > before) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sample(text, 'latchkey_change_feed_lag_seconds_count')).toBeGreaterThan(before);
    // Polled every 50 ms here: well under the 5 s bucket.
    expect(sample(text, 'latchkey_change_feed_lag_seconds_bucket', { le: '5' })).toBe(sample(text, 'latchkey_change_feed_lag_seconds_count'));
  });

  it('counts mail deliveries and shows the outbox by status', async () => {
    const now = server.runtime.clock.now();
    await enqueueMail(server.runtime.storage, { to: 'ada@example.org', subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' }, { now, random: server.runtime.random });
    let text = await scrape(server.url);
    expect(sample(text, 'latchkey_mail_outbox_messages', { status: 'queued' })).toBe(1);
    await server.runtime.deliverMail();
    text = await scrape(server.url);
    expect(sample(text, 'latchkey_mail_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'latchkey_mail_deliveries_total', { outcome: 'failed' })).toBe(0);
    expect(sample(text, 'latchkey_mail_outbox_messages', { status: 'queued' })).toBe(0);
    // No LATCHKEY_SMTP_URL: delivered to the log.
    expect(sample(text, 'latchkey_mail_outbox_messages', { status: 'logged' })).toBe(1);
  });

  it('shows the SQLite database and WAL sizes (the embedded database has no connection pool)', async () => {
    const text = await scrape(server.url);
    expect(sample(text, 'latchkey_db_sqlite_bytes', { file: 'main' })).toBeGreaterThan(0);
    expect(sample(text, 'latchkey_db_sqlite_bytes', { file: 'wal' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'latchkey_db_pool_connections', { state: 'max' })).toBeUndefined();
  });
});

describe.skipIf(postgres?.skip !== false)('database pool metrics on PostgreSQL', () => {
  let database: FreshDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).fresh();
    server = await startTestServer({ env: { LATCHKEY_DATABASE_URL: database.url } });
  });
  afterAll(async () => {
    await server?.dispose();
    await database?.drop();
  });

  it('shows the pool\'s busy, idle and waiting connections and its size', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = (): void => undefined;
    const inTransaction = new Promise<void>((resolve) => (started = resolve));
    // A transaction left open holds one connection of the pool.
    const transaction = server.runtime.storage.transaction(async (tx) => {
      await tx.services.get('nothing');
      started();
      await held;
    });
    await inTransaction;
    const text = await scrape(server.url);
    release();
    await transaction;
    expect(sample(text, 'latchkey_db_pool_connections', { state: 'max' })).toBe(10);
    expect(sample(text, 'latchkey_db_pool_connections', { state: 'busy' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'latchkey_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'latchkey_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'latchkey_db_sqlite_bytes', { file: 'main' })).toBeUndefined();
  });
});
