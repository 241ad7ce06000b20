import { bucketOf, histogramSamples, type CollectedMetric, type Sample } from './collected-metric.js';

/**
 * Seconds. Fine below 5 ms, where a token request lives (the old buckets put 98% of the
 * observations in the first one), and on to the seconds a stuck dependency takes.
 */
export const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** The route label of a request that matched no route: never its URL, which would make a label per path. */
export const UNMATCHED_ROUTE = 'unmatched';

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Per bucket (not cumulative), plus one for +Inf. */
  readonly buckets: Float64Array;
  sum: number;
  /** Responses per status class, 1xx to 5xx. */
  readonly byClass: Float64Array;
}

export interface RequestStats {
  /**
   * One response finished. `route` is the route's pattern (`/api/v1/applications/:acronym`), so the label
   * set is bounded by the route table; `method` by the methods Node's HTTP parser accepts.
   */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** The duration histogram and the request counter, for the registry. */
  readonly metrics: readonly CollectedMetric[];
}

/**
 * Counted in plain arrays, one series per route and method, formatted only when scraped: prom-client's
 * per-observation label hashing would cost more than the rest of a token request's bookkeeping.
 */
export function createRequestStats(): RequestStats {
  const byRoute = new Map<string, Map<string, Series>>();

  const seriesOf = (method: string, route: string): Series => {
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let series = byMethod.get(method);
    if (series === undefined) {
      series = { labels: { method, route }, buckets: new Float64Array(DURATION_BUCKETS.length + 1), sum: 0, byClass: new Float64Array(STATUS_CLASSES.length) };
      byMethod.set(method, series);
    }
    return series;
  };
  const everySeries = function* (): Generator<Series> {
    for (const byMethod of byRoute.values()) yield* byMethod.values();
  };

  return {
    observe(method, route, status, seconds) {
      const series = seriesOf(method, route);
      const i = bucketOf(DURATION_BUCKETS, seconds);
      series.buckets[i] = (series.buckets[i] ?? 0) + 1;
      series.sum += seconds;
      const c = Math.min(Math.max(Math.floor(status / 100) - 1, 0), STATUS_CLASSES.length - 1);
      series.byClass[c] = (series.byClass[c] ?? 0) + 1;
    },
    metrics: [
      {
        name: 'latchkey_http_request_duration_seconds',
        help: 'Time from the arrival of a request (its headers parsed) until the last byte of the response was handed to the socket, by method and route pattern',
        type: 'histogram',
        samples: () => [...everySeries()].flatMap((s) => histogramSamples('latchkey_http_request_duration_seconds', s.labels, DURATION_BUCKETS, s.buckets, s.sum)),
      },
      {
        name: 'latchkey_http_requests_total',
        help: 'Responses by method, route pattern and status class (2xx, 4xx, …)',
        type: 'counter',
        samples: () => {
          const samples: Sample[] = [];
          for (const s of everySeries()) {
            STATUS_CLASSES.forEach((statusClass, i) => {
              const value = s.byClass[i] ?? 0;
              if (value > 0) samples.push({ labels: { ...s.labels, status_class: statusClass }, value });
            });
          }
          return samples;
        },
      },
    ],
  };
}
