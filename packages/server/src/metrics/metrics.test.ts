import { AggregatorRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

/** Every series line, as `name{labels} value`, appears in the exposition. */
function expectSeries(text: string, lines: readonly string[]): void {
  for (const line of lines) expect(text).toContain(`${line}\n`);
}

describe('metrics', () => {
  it('times requests per method and route in buckets that resolve a tenth of a millisecond, with status classes', async () => {
    const metrics = createMetrics();
    metrics.request('POST', '/oauth/token', 200, 0.00008);
    metrics.request('POST', '/oauth/token', 200, 0.0004);
    metrics.request('POST', '/oauth/token', 401, 0.0021);
    metrics.request('GET', '/healthz', 200, 12);
    const text = await metrics.render();
    const bucket = (le: string): string => `latchkey_http_request_duration_seconds_bucket{le="${le}",method="POST",route="/oauth/token"}`;
    expectSeries(text, [
      `${bucket('0.0001')} 1`,
      `${bucket('0.0005')} 2`,
      `${bucket('0.002')} 2`,
      `${bucket('0.003')} 3`,
      `${bucket('+Inf')} 3`,
      'latchkey_http_request_duration_seconds_count{method="POST",route="/oauth/token"} 3',
      'latchkey_http_request_duration_seconds_bucket{le="10",method="GET",route="/healthz"} 0',
      'latchkey_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz"} 1',
      'latchkey_http_requests_total{method="POST",route="/oauth/token",status_class="2xx"} 2',
      'latchkey_http_requests_total{method="POST",route="/oauth/token",status_class="4xx"} 1',
    ]);
    expect(text).toContain('# TYPE latchkey_http_request_duration_seconds histogram');
    expect(text).toContain('latchkey_process_cpu_seconds_total');
  });

  it('counts token outcomes per grant (unknown grants as other), introspections and revocations', async () => {
    const metrics = createMetrics();
    metrics.tokenRequest('client_credentials', 'success');
    metrics.tokenRequest('client_credentials', 'success');
    metrics.tokenRequest('client_credentials', 'invalid_client');
    metrics.tokenRequest('made_up', 'unsupported_grant_type');
    metrics.introspection(true);
    metrics.introspection(false);
    metrics.introspection(false);
    metrics.revocation(true);
    const text = await metrics.render();
    expectSeries(text, [
      'latchkey_token_requests_total{grant="client_credentials",outcome="success"} 2',
      'latchkey_token_requests_total{grant="client_credentials",outcome="invalid_client"} 1',
      'latchkey_token_requests_total{grant="other",outcome="unsupported_grant_type"} 1',
      'latchkey_introspections_total{result="active"} 1',
      'latchkey_introspections_total{result="inactive"} 2',
      'latchkey_revocations_total{outcome="revoked"} 1',
    ]);
  });

  it('sums the workers\' counts and histograms when the cluster primary combines them', async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.request('POST', '/oauth/token', 200, 0.0004);
    two.request('POST', '/oauth/token', 200, 0.0004);
    two.request('POST', '/oauth/token', 200, 0.02);
    one.tokenRequest('client_credentials', 'success');
    two.tokenRequest('client_credentials', 'success');
    const combined = await AggregatorRegistry.aggregate([await one.registry.getMetricsAsJSON(), await two.registry.getMetricsAsJSON()]).metrics();
    expectSeries(combined, [
      'latchkey_http_request_duration_seconds_bucket{le="0.0005",method="POST",route="/oauth/token"} 2',
      'latchkey_http_request_duration_seconds_count{method="POST",route="/oauth/token"} 3',
      'latchkey_token_requests_total{grant="client_credentials",outcome="success"} 2',
    ]);
  });
});
