import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerCollected } from './collected-metric.js';
import { createCounterTable } from './counter-table.js';
import { createRequestStats } from './request-stats.js';

const GRANTS = new Set(['client_credentials', 'password']);

/** What this process counts; everything is served by `render()`. */
export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** One response finished: `route` is the route's pattern (or UNMATCHED_ROUTE), never the raw URL. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** One `/oauth/token` request: its grant (bounded label set) and outcome (`success` or the OAuth error). */
  tokenRequest(grant: string, outcome: string): void;
  /** One RFC 7662 introspection answered. */
  introspection(active: boolean): void;
  /** One RFC 7009 revocation request: whether it revoked a token (else there was nothing to revoke). */
  revocation(revoked: boolean): void;
  /** Prometheus text exposition (format 0.0.4) of this process's metrics. */
  render(): Promise<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'latchkey_' });

  const requests = createRequestStats();
  for (const metric of requests.metrics) registerCollected(registry, metric);
  const tokens = createCounterTable('latchkey_token_requests_total', 'POST /oauth/token requests by grant type and outcome (success, or the OAuth error code)', ['grant', 'outcome']);
  const introspections = createCounterTable('latchkey_introspections_total', 'RFC 7662 introspections answered, by result (active or inactive)', ['result']);
  const revocations = createCounterTable('latchkey_revocations_total', 'RFC 7009 revocation requests, by outcome (revoked, or none: nothing to revoke)', ['outcome']);
  for (const table of [tokens, introspections, revocations]) registerCollected(registry, table.metric);

  return {
    registry,
    contentType: registry.contentType,
    request: requests.observe,
    tokenRequest(grant, outcome) {
      // Outcomes are `success` or an RFC 6749 error code: a small closed set.
      tokens.inc(GRANTS.has(grant) ? grant : 'other', outcome);
    },
    introspection(active) {
      introspections.inc(active ? 'active' : 'inactive');
    },
    revocation(revoked) {
      revocations.inc(revoked ? 'revoked' : 'none');
    },
    render: () => registry.metrics(),
  };
}
