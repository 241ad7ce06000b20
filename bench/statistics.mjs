// The arithmetic of the bench: medians over rounds, latency percentiles from a histogram, and the ratios
// Latchkey is judged by. Pure functions, so they can be tested with known inputs.

/**
 * Latency histogram: response time in units of 10 µs → how many responses took that long. Autocannon
 * reports whole milliseconds, too coarse for a server that answers in well under one; 10 µs buckets keep
 * the percentiles exact to that resolution while the histogram stays a few thousand entries at most.
 * @typedef {Map<number, number>} LatencyHistogram
 */

/** Width of one histogram bucket, in milliseconds. */
export const BUCKET_MS = 0.01;

/** @returns {LatencyHistogram} */
export function newHistogram() {
  return new Map();
}

/**
 * @param {LatencyHistogram} histogram
 * @param {number} latencyMs
 */
export function recordLatency(histogram, latencyMs) {
  const bucket = Math.round(latencyMs / BUCKET_MS);
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
}

/**
 * The histogram as [latency ms, count] pairs in ascending latency: the form that crosses the IPC channel
 * and goes into the results file.
 * @param {LatencyHistogram} histogram
 * @returns {Array<[number, number]>}
 */
export function histogramEntries(histogram) {
  return [...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([bucket, count]) => [Number((bucket * BUCKET_MS).toFixed(2)), count]);
}

/**
 * The p-th percentile (0 < p ≤ 100) of a histogram of [value, count] pairs, by nearest rank: the smallest
 * value that at least p% of the observations do not exceed. Null for an empty histogram.
 * @param {ReadonlyArray<readonly [number, number]>} entries
 * @param {number} p
 * @returns {number | null}
 */
export function percentile(entries, p) {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0] ?? null;
}

/**
 * What the report shows of a pass's latencies.
 * @typedef {{ count: number, mean: number | null, p50: number | null, p90: number | null, p99: number | null, max: number | null }} LatencySummary
 */

/**
 * @param {ReadonlyArray<readonly [number, number]>} entries
 * @returns {LatencySummary}
 */
export function summarizeLatency(entries) {
  let count = 0;
  let sum = 0;
  let max = null;
  for (const [value, n] of entries) {
    count += n;
    sum += value * n;
    if (n > 0 && (max === null || value > max)) max = value;
  }
  return {
    count,
    mean: count ? sum / count : null,
    p50: percentile(entries, 50),
    p90: percentile(entries, 90),
    p99: percentile(entries, 99),
    max,
  };
}

/**
 * The median of the numbers among `values` (nulls, undefined and NaN are left out); null when none is left.
 * @param {ReadonlyArray<number | null | undefined>} values
 * @returns {number | null}
 */
export function median(values) {
  const sorted = numbers(values).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The median of ratios (positive values only). With an even count it is the geometric mean of the middle
 * two, so that the median of 1/x is 1/(the median of x): "A over B" and "B over A" then agree.
 * @param {ReadonlyArray<number | null | undefined>} values
 * @returns {number | null}
 */
export function medianRatio(values) {
  const sorted = numbers(values).filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? null) : Math.sqrt((sorted[mid - 1] ?? 0) * (sorted[mid] ?? 0));
}

/**
 * @param {ReadonlyArray<number | null | undefined>} values
 * @returns {number[]}
 */
function numbers(values) {
  return values.filter(/** @returns {v is number} */ (v) => typeof v === 'number' && !Number.isNaN(v));
}

/**
 * One target's line of the report: the median over rounds of each figure.
 * @typedef {{
 *   tokensPerSecond: number | null, cpuMicrosPerToken: number | null, p50Ms: number | null, p99Ms: number | null,
 *   serverCpuShare: number | null, loadgenCpuShare: number | null,
 *   noiseShares: Array<{ label: string, share: number | null }>, passes: number, noisyPasses: number,
 * }} TargetSummary
 */

/**
 * @param {ReadonlyArray<Readonly<Record<string, import('./measure-pass.mjs').PassFigures>>>} rounds
 * @param {readonly string[]} targets
 * @returns {Record<string, TargetSummary>}
 */
export function summarize(rounds, targets) {
  /** @type {Record<string, TargetSummary>} */
  const summary = {};
  for (const name of targets) {
    const runs = rounds.map((round) => round[name]).filter((run) => run !== undefined);
    const pick = (/** @type {(f: import('./measure-pass.mjs').PassFigures) => number | null} */ figure) => median(runs.map(figure));
    const labels = runs[0]?.noise.groups.map((g) => coreLabel(g.cores)) ?? [];
    summary[name] = {
      tokensPerSecond: pick((f) => f.tokensPerSecond),
      cpuMicrosPerToken: pick((f) => f.cpuMicrosPerToken),
      p50Ms: pick((f) => f.latencyMs.p50),
      p99Ms: pick((f) => f.latencyMs.p99),
      serverCpuShare: pick((f) => f.serverCpuShare),
      loadgenCpuShare: pick((f) => f.loadgenCpuShare),
      noiseShares: labels.map((label, i) => ({ label, share: pick((f) => f.noise.groups[i]?.noiseShare ?? null) })),
      passes: runs.length,
      noisyPasses: runs.filter((f) => f.noise.noisy).length,
    };
  }
  return summary;
}

/**
 * "core 0", "cores 0-1": how the report names a group of cores.
 * @param {readonly number[]} cores
 * @returns {string}
 */
export function coreLabel(cores) {
  if (cores.length === 1) return `core ${cores[0]}`;
  const sorted = [...cores].sort((a, b) => a - b);
  const contiguous = sorted.every((core, i) => i === 0 || core === (sorted[i - 1] ?? core) + 1);
  return `cores ${contiguous ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(',')}`;
}

/**
 * Which two passes a ratio compares, and the aim for the first's throughput over the second's (null: none).
 * @typedef {{ key: string, of: string, over: string, aim: number | null, whose: string }} RatioPair
 */

/**
 * A ratio over the rounds. The medians are null when it is withheld: some pass it draws on was noisy.
 * @typedef {{
 *   of: string, over: string, aimThroughput: number | null, withheld: boolean, noisyPasses: number,
 *   throughput: number | null, cpuPerToken: number | null, throughputAtFullCore: number | null, meetsAim: boolean | null,
 *   perRound: { throughput: number[], cpuPerToken: number[] },
 * }} Ratio
 */

/**
 * Each ratio is taken per round, so that both sides met the same conditions, and then the median.
 * @param {ReadonlyArray<Readonly<Record<string, import('./measure-pass.mjs').PassFigures>>>} rounds
 * @param {readonly RatioPair[]} pairs
 * @returns {Record<string, Ratio>}
 */
export function ratios(rounds, pairs) {
  /** @type {Record<string, Ratio>} */
  const out = {};
  for (const pair of pairs) {
    const both = rounds.flatMap((round) => {
      const a = round[pair.of];
      const b = round[pair.over];
      return a && b ? [{ a, b }] : [];
    });
    if (both.length === 0) continue;
    const throughput = both.map(({ a, b }) => a.tokensPerSecond / b.tokensPerSecond);
    const cpuPerToken = both.map(({ a, b }) => a.cpuMicrosPerToken / b.cpuMicrosPerToken);
    const noisyPasses = both.reduce((n, { a, b }) => n + Number(a.noise.noisy) + Number(b.noise.noisy), 0);
    const withheld = noisyPasses > 0;
    const medianThroughput = withheld ? null : medianRatio(throughput);
    const medianCpu = withheld ? null : medianRatio(cpuPerToken);
    out[pair.key] = {
      of: pair.of,
      over: pair.over,
      aimThroughput: pair.aim,
      withheld,
      noisyPasses,
      throughput: medianThroughput,
      cpuPerToken: medianCpu,
      // What the throughput ratio would be with both servers given a full core each: CPU efficiency.
      throughputAtFullCore: medianCpu ? 1 / medianCpu : null,
      meetsAim: medianThroughput === null || pair.aim === null ? null : medianThroughput >= pair.aim,
      perRound: { throughput, cpuPerToken },
    };
  }
  return out;
}
