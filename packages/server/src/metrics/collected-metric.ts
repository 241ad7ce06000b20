import type { Aggregator, Metric, Registry } from 'prom-client';

/** One sample of a metric as prom-client exchanges them (`registry.getMetricsAsJSON()`). */
export interface Sample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  /** `<name>_bucket`, `_sum` or `_count` for a histogram's samples; the metric's name otherwise. */
  readonly metricName?: string;
}

export interface CollectedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** How the cluster primary combines the workers' samples (prom-client's aggregators; `sum` by default). */
  readonly aggregator?: Aggregator;
  /** The samples now; called on every scrape. */
  samples(): readonly Sample[] | Promise<readonly Sample[]>;
}

/**
 * Registers a metric whose samples are computed when it is scraped, from counts kept elsewhere (plain
 * arrays on the request path: see request-stats.ts). The registry then formats it and hands it to the
 * cluster primary like any of its own metrics.
 */
export function registerCollected(registry: Registry, metric: CollectedMetric): void {
  const { name, help, type, aggregator = 'sum' } = metric;
  const collected = {
    name,
    help,
    type,
    aggregator,
    get: async () => ({ name, help, type, aggregator, values: [...(await metric.samples())] }),
  };
  // prom-client's types accept only its own metric classes, but its registry needs nothing more than `get()`
  // (its AggregatorRegistry registers such plain objects itself).
  registry.registerMetric(collected as unknown as Metric);
}

/**
 * The samples of a histogram with the given (upper) bounds from per-bucket counts (the last one for +Inf),
 * cumulative as Prometheus wants them.
 */
export function histogramSamples(
  name: string,
  labels: Readonly<Record<string, string>>,
  bounds: readonly number[],
  counts: ArrayLike<number>,
  sum: number,
): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0;
  bounds.forEach((bound, i) => {
    cumulative += counts[i] ?? 0;
    samples.push({ metricName: `${name}_bucket`, labels: { le: bound, ...labels }, value: cumulative });
  });
  cumulative += counts[bounds.length] ?? 0;
  samples.push(
    { metricName: `${name}_bucket`, labels: { le: '+Inf', ...labels }, value: cumulative },
    { metricName: `${name}_sum`, labels, value: sum },
    { metricName: `${name}_count`, labels, value: cumulative },
  );
  return samples;
}

/** Index of the first bucket whose bound is at least `value` (`bounds.length`: the +Inf bucket). */
export function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  return i;
}
