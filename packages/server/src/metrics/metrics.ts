import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { DeliveryReport } from '../domain/mail/deliver-mail.js';
import { registerCollected } from './collected-metric.js';
import { createCounterTable } from './counter-table.js';
import { createRequestStats } from './request-stats.js';

const GRANTS = new Set(['client_credentials', 'password']);

// Seconds between a change's commit and this process applying it: milliseconds with LISTEN/NOTIFY or a
// sibling's sync, up to LATCHKEY_CHANGE_POLL_MS when polled, seconds when the push is lost.
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What this process counts; everything is served by `render()` (and, in a cluster, summed by the primary). */
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
  /** This process applied a change of the change log `lagSeconds` after it was committed. */
  changeApplied(lagSeconds: number): void;
  /** This process had to drop its caches: change-log entries were pruned before it read them. */
  changeFeedReset(): void;
  /** One round of mail delivery ended. */
  mailDelivered(report: DeliveryReport): void;
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

  const lag = new Histogram({
    name: 'latchkey_change_feed_lag_seconds',
    help: 'Seconds between the commit of a change (in any process or instance) and this process applying it to its caches',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  const resets = new Counter({ name: 'latchkey_change_feed_resets_total', help: 'Times this process dropped every cache because change-log entries were pruned before it read them', registers: [registry] });
  const deliveries = new Counter({
    name: 'latchkey_mail_deliveries_total',
    help: 'Mail delivery attempts by this process, by outcome: delivered (sent, or logged without SMTP), retrying (will be tried again), failed (given up)',
    labelNames: ['outcome'],
    registers: [registry],
  });

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
    changeApplied(lagSeconds) {
      // Clocks of different machines can disagree by a little: never a negative lag.
      lag.observe(Math.max(0, lagSeconds));
    },
    changeFeedReset() {
      resets.inc();
    },
    mailDelivered(report) {
      deliveries.inc({ outcome: 'delivered' }, report.delivered);
      deliveries.inc({ outcome: 'retrying' }, report.retrying);
      deliveries.inc({ outcome: 'failed' }, report.failed);
    },
    render: () => registry.metrics(),
  };
}
