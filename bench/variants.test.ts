import { describe, expect, it } from 'vitest';
import { picker, sampleCdf, seededRandom, zipfCdf } from './variants.mjs';

describe('seededRandom', () => {
  it('repeats with the same seed and stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('zipfCdf', () => {
  it('gives rank k a share proportional to 1/k', () => {
    const cdf = zipfCdf(3, 1);
    const total = 1 + 1 / 2 + 1 / 3;
    expect([...cdf].map((v) => Number(v.toFixed(6)))).toEqual([1 / total, 1.5 / total, 1].map((v) => Number(v.toFixed(6))));
  });

  it('sampleCdf finds the first rank reaching the draw', () => {
    const cdf = Float64Array.from([0.5, 0.75, 1]);
    expect([0, 0.5, 0.5001, 0.75, 0.99].map((u) => sampleCdf(cdf, u))).toEqual([0, 0, 1, 1, 2]);
  });
});

describe('picker', () => {
  it('sequence hands out every index once, then counts the wrap-around', () => {
    const p = picker(3, 'sequence');
    expect(Array.from({ length: 5 }, () => p.next())).toEqual([0, 1, 2, 0, 1]);
    expect(p.distinct()).toBe(3);
    expect(p.wrapped()).toBe(2);
  });

  it('uniform spreads evenly; zipf makes the first ranks hot', () => {
    const counts = (spread: 'uniform' | 'zipf') => {
      const p = picker(100, spread);
      const c = new Array<number>(100).fill(0);
      for (let i = 0; i < 100_000; i++) c[p.next()]! += 1;
      return c;
    };
    const uniform = counts('uniform');
    expect(Math.max(...uniform) / Math.min(...uniform)).toBeLessThan(1.3);
    const repeats = picker(10, 'uniform');
    for (let i = 0; i < 50; i++) repeats.next();
    expect(repeats.wrapped()).toBe(0);
    const zipf = counts('zipf');
    // Rank 1 over rank 10 is 10 under 1/k; the sample is within a few per cent of it.
    expect((zipf[0] ?? 0) / (zipf[9] ?? 1)).toBeGreaterThan(8.5);
    expect((zipf[0] ?? 0) / (zipf[9] ?? 1)).toBeLessThan(11.5);
  });

  it('refuses an empty pool', () => {
    expect(() => picker(0, 'uniform')).toThrow(RangeError);
  });
});
