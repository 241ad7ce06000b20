import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('token metrics', () => {
  it('counts outcomes per grant and renders cumulative latency buckets', async () => {
    const metrics = createMetrics();
    metrics.tokenRequest('client_credentials', 'success', 0.0004);
    metrics.tokenRequest('client_credentials', 'success', 0.003);
    metrics.tokenRequest('client_credentials', 'invalid_client', 2);
    metrics.tokenRequest('made_up', 'unsupported_grant_type', 0.001);
    const text = await metrics.render();
    expect(text).toContain('latchkey_token_requests_total{grant="client_credentials",outcome="success"} 2');
    expect(text).toContain('latchkey_token_requests_total{grant="client_credentials",outcome="invalid_client"} 1');
    expect(text).toContain('latchkey_token_requests_total{grant="other",outcome="unsupported_grant_type"} 1');
    expect(text).toContain('latchkey_token_request_duration_seconds_bucket{le="0.0005",grant="client_credentials"} 1');
    expect(text).toContain('latchkey_token_request_duration_seconds_bucket{le="0.005",grant="client_credentials"} 2');
    expect(text).toContain('latchkey_token_request_duration_seconds_bucket{le="1",grant="client_credentials"} 2');
    expect(text).toContain('latchkey_token_request_duration_seconds_bucket{le="+Inf",grant="client_credentials"} 3');
    expect(text).toContain('latchkey_token_request_duration_seconds_count{grant="client_credentials"} 3');
    expect(text).toContain('latchkey_process_cpu_seconds_total');
  });
});
