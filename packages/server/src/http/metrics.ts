import { collectDefaultMetrics, Registry } from 'prom-client';

const GRANTS = ['client_credentials', 'password', 'other'] as const;
type GrantLabel = (typeof GRANTS)[number];
const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

export interface Metrics {
  /** The process metrics (prom-client's defaults). */
  readonly registry: Registry;
  /** One token request finished: its grant (bounded label set), outcome (`success` or the OAuth error) and duration. */
  tokenRequest(grant: string, outcome: string, seconds: number): void;
  /** Prometheus text exposition (format 0.0.4) of everything. */
  render(): Promise<string>;
  readonly contentType: string;
}

interface Latency {
  /** Per bucket (non-cumulative), plus one for +Inf. */
  readonly counts: Float64Array;
  sum: number;
}

/**
 * The token metrics are counted in plain arrays on the hot path and formatted only when scraped:
 * prom-client's per-observation label lookups cost more than the rest of a token request's bookkeeping.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'latchkey_' });
  const outcomes = new Map<GrantLabel, Map<string, number>>(GRANTS.map((g) => [g, new Map()]));
  const latency = new Map<GrantLabel, Latency>(GRANTS.map((g) => [g, { counts: new Float64Array(BUCKETS.length + 1), sum: 0 }]));

  const label = (grant: string): GrantLabel => (grant === 'client_credentials' || grant === 'password' ? grant : 'other');

  function renderTokenMetrics(): string {
    const lines = [
      '# HELP latchkey_token_requests_total Token requests by grant type and outcome (success, or the OAuth error code)',
      '# TYPE latchkey_token_requests_total counter',
    ];
    for (const [grant, byOutcome] of outcomes) {
      for (const [outcome, count] of byOutcome) lines.push(`latchkey_token_requests_total{grant="${grant}",outcome="${outcome}"} ${count}`);
    }
    lines.push(
      '# HELP latchkey_token_request_duration_seconds Time to answer a token request, by grant type',
      '# TYPE latchkey_token_request_duration_seconds histogram',
    );
    for (const [grant, { counts, sum }] of latency) {
      let cumulative = 0;
      BUCKETS.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        lines.push(`latchkey_token_request_duration_seconds_bucket{le="${bound}",grant="${grant}"} ${cumulative}`);
      });
      cumulative += counts[BUCKETS.length] ?? 0;
      lines.push(
        `latchkey_token_request_duration_seconds_bucket{le="+Inf",grant="${grant}"} ${cumulative}`,
        `latchkey_token_request_duration_seconds_sum{grant="${grant}"} ${sum}`,
        `latchkey_token_request_duration_seconds_count{grant="${grant}"} ${cumulative}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  return {
    registry,
    contentType: registry.contentType,
    tokenRequest(grant, outcome, seconds) {
      const g = label(grant);
      const byOutcome = outcomes.get(g) as Map<string, number>;
      // Outcomes are `success` or an RFC 6749 error code: a small closed set, so the map stays small.
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      const histogram = latency.get(g) as Latency;
      let i = 0;
      while (i < BUCKETS.length && seconds > (BUCKETS[i] as number)) i++;
      histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
      histogram.sum += seconds;
    },
    async render() {
      return `${await registry.metrics()}\n${renderTokenMetrics()}`;
    },
  };
}
