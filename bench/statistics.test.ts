import { describe, expect, it } from 'vitest';
import { pass } from './fixtures.js';
import { coreLabel, histogramEntries, median, medianRatio, newHistogram, percentile, ratios, recordLatency, summarize, summarizeLatency } from './statistics.mjs';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two, ignoring what is not a number', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, null, undefined, Number.NaN])).toBe(5);
    expect(median([])).toBeNull();
  });
});

describe('medianRatio', () => {
  it('takes the geometric mean of the middle two, so that the median of 1/x is 1/(the median of x)', () => {
    expect(medianRatio([1, 4])).toBe(2);
    expect(medianRatio([0.5, 0.8, 2])).toBe(0.8);
    const xs = [0.5, 2, 3, 8];
    expect(medianRatio(xs.map((x) => 1 / x))).toBeCloseTo(1 / (medianRatio(xs) ?? 0), 12);
  });

  it('leaves out ratios that are not positive', () => {
    expect(medianRatio([0, -1, 3])).toBe(3);
    expect(medianRatio([0])).toBeNull();
  });
});

describe('percentile', () => {
  // 100 observations: 1 ms ×50, 2 ms ×40, 5 ms ×9, 40 ms ×1.
  const histogram: Array<[number, number]> = [[5, 9], [1, 50], [40, 1], [2, 40]];

  it('is the smallest value that at least p% of the observations do not exceed (nearest rank)', () => {
    expect(percentile(histogram, 50)).toBe(1);
    expect(percentile(histogram, 50.5)).toBe(2);
    expect(percentile(histogram, 90)).toBe(2);
    expect(percentile(histogram, 91)).toBe(5);
    expect(percentile(histogram, 99)).toBe(5);
    expect(percentile(histogram, 100)).toBe(40);
  });

  it('is null for an empty histogram and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(histogram, 0)).toThrow(RangeError);
    expect(() => percentile(histogram, 101)).toThrow(RangeError);
  });

  it('summarizes count, mean, percentiles and max', () => {
    expect(summarizeLatency(histogram)).toEqual({ count: 100, mean: (50 + 80 + 45 + 40) / 100, p50: 1, p90: 2, p99: 5, max: 40 });
    expect(summarizeLatency([])).toEqual({ count: 0, mean: null, p50: null, p90: null, p99: null, max: null });
  });
});

describe('the latency histogram', () => {
  it('keeps 10 µs resolution and comes out in ascending order', () => {
    const histogram = newHistogram();
    for (const ms of [2.503, 0.4, 2.498, 0.404, 12]) recordLatency(histogram, ms);
    expect(histogramEntries(histogram)).toEqual([[0.4, 2], [2.5, 2], [12, 1]]);
  });
});

describe('summarize', () => {
  it('takes the median of each figure over the rounds and counts the noisy passes', () => {
    const rounds = [
      { latchkey: pass({ tokensPerSecond: 100, cpuMicrosPerToken: 10, latency: [[3, 1]] }) },
      { latchkey: pass({ tokensPerSecond: 300, cpuMicrosPerToken: 30, latency: [[1, 1]], noise: [0.3, 0.05] }) },
      { latchkey: pass({ tokensPerSecond: 200, cpuMicrosPerToken: 20, latency: [[2, 1]] }) },
    ];
    const { latchkey } = summarize(rounds, ['latchkey']);
    expect(latchkey).toMatchObject({ tokensPerSecond: 200, cpuMicrosPerToken: 20, p50Ms: 2, p99Ms: 2, passes: 3, noisyPasses: 1 });
    expect(latchkey?.noiseShares).toEqual([
      { label: 'core 0', share: 0.01 },
      { label: 'core 1', share: 0.02 },
    ]);
  });
});

describe('ratios', () => {
  const pairs = [{ key: 'aVsB', of: 'a', over: 'b', aim: 0.75, whose: "b's" }];

  it('takes each ratio per round, then the median, and compares it with the aim', () => {
    const rounds = [
      { a: pass({ tokensPerSecond: 80, cpuMicrosPerToken: 12 }), b: pass({ tokensPerSecond: 100, cpuMicrosPerToken: 10 }) },
      { a: pass({ tokensPerSecond: 60, cpuMicrosPerToken: 15 }), b: pass({ tokensPerSecond: 100, cpuMicrosPerToken: 10 }) },
      { a: pass({ tokensPerSecond: 45, cpuMicrosPerToken: 10 }), b: pass({ tokensPerSecond: 50, cpuMicrosPerToken: 8 }) },
    ];
    const r = ratios(rounds, pairs).aVsB;
    expect(r?.perRound.throughput).toEqual([0.8, 0.6, 0.9]);
    expect(r).toMatchObject({ withheld: false, noisyPasses: 0, throughput: 0.8, cpuPerToken: 1.25, throughputAtFullCore: 0.8, meetsAim: true });
  });

  it('withholds a ratio that draws on a noisy pass, on either side, but keeps the per-round figures', () => {
    const rounds = [
      { a: pass({ tokensPerSecond: 80, cpuMicrosPerToken: 12 }), b: pass({ tokensPerSecond: 100, cpuMicrosPerToken: 10, noise: [0.01, 0.11] }) },
      { a: pass({ tokensPerSecond: 60, cpuMicrosPerToken: 15 }), b: pass({ tokensPerSecond: 100, cpuMicrosPerToken: 10 }) },
    ];
    const r = ratios(rounds, pairs).aVsB;
    expect(r).toMatchObject({ withheld: true, noisyPasses: 1, throughput: null, cpuPerToken: null, throughputAtFullCore: null, meetsAim: null });
    expect(r?.perRound.throughput).toEqual([0.8, 0.6]);
  });

  it('leaves out a pair whose targets were not measured', () => {
    expect(ratios([{ a: pass({ tokensPerSecond: 1, cpuMicrosPerToken: 1 }) }], pairs)).toEqual({});
  });
});

describe('coreLabel', () => {
  it('names one core, a range, or a list', () => {
    expect(coreLabel([0])).toBe('core 0');
    expect(coreLabel([1, 0])).toBe('cores 0-1');
    expect(coreLabel([0, 2])).toBe('cores 0,2');
  });
});
