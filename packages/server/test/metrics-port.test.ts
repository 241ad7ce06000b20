import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { sample, scrape } from './support/metrics-text.js';

// LATCHKEY_METRICS_PORT: the main port is often public; the metrics then live on a port of their own.
describe('a separate metrics port', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LATCHKEY_METRICS_PORT: '0' } });
  });
  afterAll(() => server.dispose());

  it('serves /metrics there, counting the main port\'s requests, and no longer on the main port', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const text = await scrape(server.metricsUrl ?? '');
    expect(sample(text, 'latchkey_http_requests_total', { method: 'GET', route: '/healthz', status_class: '2xx' })).toBe(1);
    expect(sample(text, 'latchkey_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
  });

  it('serves nothing else there', async () => {
    expect((await fetch(`${server.metricsUrl ?? ''}/healthz`)).status).toBe(404);
    expect((await fetch(`${server.metricsUrl ?? ''}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});

describe('without a metrics port', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('serves /metrics on the main port, as before', async () => {
    expect(server.metricsUrl).toBeNull();
    expect(sample(await scrape(server.url), 'latchkey_process_cpu_seconds_total')).toBeGreaterThan(0);
  });
});
