import { describe, expect, it } from 'vitest';
import { createBoundedCache } from './bounded-cache.js';

describe('the bounded cache (segmented LRU)', () => {
  const filledWithHotKeys = (capacity: number, hot: number) => {
    const cache = createBoundedCache<string, number>(capacity);
    for (let i = 0; i < hot; i++) cache.set(`hot-${i}`, i);
    // Used again: promoted out of probation.
    for (let i = 0; i < hot; i++) cache.get(`hot-${i}`);
    return cache;
  };

  it('never holds more than its capacity, however many keys pass through', () => {
    const cache = createBoundedCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`k-${i}`, i);
      if (i % 3 === 0) cache.get(`k-${i}`);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.size).toBe(100);
  });

  it('keeps the keys used again through a burst of keys seen once', () => {
    const cache = filledWithHotKeys(100, 80);
    for (let i = 0; i < 100_000; i++) cache.set(`burst-${i}`, i);
    for (let i = 0; i < 80; i++) expect(cache.peek(`hot-${i}`), `hot-${i}`).toBe(i);
    expect(cache.size).toBe(100);
  });

  it('keeps the keys used again through a burst of keys each looked up twice', () => {
    // Promoted burst keys push hot ones back to probation, not out: the hot ones, still asked for, return.
    const cache = filledWithHotKeys(100, 50);
    for (let i = 0; i < 1_000; i++) {
      cache.set(`burst-${i}`, i);
      cache.get(`burst-${i}`);
      if (i % 10 === 0) for (let h = 0; h < 50; h++) cache.get(`hot-${h}`);
    }
    for (let h = 0; h < 50; h++) expect(cache.has(`hot-${h}`), `hot-${h}`).toBe(true);
  });

  it('evicts the least recent key seen once when probation is full', () => {
    const cache = createBoundedCache<string, number>(10);
    for (let i = 0; i < 10; i++) cache.set(`k-${i}`, i);
    cache.set('k-10', 10);
    expect(cache.has('k-0')).toBe(false);
    expect(cache.has('k-1')).toBe(true);
  });

  it('demotes the least recent protected key to probation, where a hit saves it again', () => {
    const cache = createBoundedCache<string, number>(10); // 8 protected
    for (let i = 0; i < 9; i++) {
      cache.set(`k-${i}`, i);
      cache.get(`k-${i}`);
    }
    expect(cache.size).toBe(9);
    cache.get('k-0'); // k-0 was demoted by k-8's promotion: it is promoted again, k-1 demoted
    cache.set('new-a', 1);
    cache.set('new-b', 2); // probation (k-1, new-a, new-b) overflows: k-1 goes
    expect(cache.has('k-0')).toBe(true);
    expect(cache.has('k-1')).toBe(false);
  });

  it('replaces, deletes and clears', () => {
    const cache = createBoundedCache<string, number>(4);
    cache.set('a', 1);
    cache.get('a');
    cache.set('a', 2);
    expect(cache.get('a')).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('works at capacity 1 and refuses no capacity', () => {
    const cache = createBoundedCache<string, number>(1);
    cache.set('a', 1);
    cache.get('a');
    cache.set('b', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('b')).toBe(2);
    expect(() => createBoundedCache(0)).toThrow(RangeError);
  });
});
