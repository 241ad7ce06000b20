import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const GRANTS = new Set(['client_credentials', 'password']);

export interface Metrics {
  readonly registry: Registry;
  /** One token request finished: its grant (bounded label set), outcome (`success` or the OAuth error) and duration. */
  tokenRequest(grant: string, outcome: string, seconds: number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'latchkey_' });
  const issued = new Counter({
    name: 'latchkey_token_requests_total',
    help: 'Token requests by grant type and outcome (success, or the OAuth error code)',
    labelNames: ['grant', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'latchkey_token_request_duration_seconds',
    help: 'Time to answer a token request, by grant type',
    labelNames: ['grant'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  // Label children resolved once per combination: prom-client hashes a labels object on every call otherwise.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<'grant'>>();
  return {
    registry,
    tokenRequest(grant, outcome, seconds) {
      const label = GRANTS.has(grant) ? grant : 'other';
      const key = `${label} ${outcome}`;
      let counter = counters.get(key);
      if (!counter) counters.set(key, (counter = issued.labels(label, outcome)));
      let timer = timers.get(label);
      if (!timer) timers.set(label, (timer = latency.labels(label)));
      counter.inc();
      timer.observe(seconds);
    },
  };
}
