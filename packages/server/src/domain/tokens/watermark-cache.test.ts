import { describe, expect, it } from 'vitest';
import { createWatermarkCache, isSuperseded } from './watermark-cache.js';

/** A store whose reads the test releases by hand, to interleave them with invalidations. */
function slowStore(generations: Map<string, number>) {
  const waiting: (() => void)[] = [];
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    release: () => waiting.splice(0).forEach((go) => go()),
    get(subject: string): Promise<number> {
      reads++;
      const value = generations.get(subject) ?? 0;
      return new Promise((resolve) => waiting.push(() => resolve(value)));
    },
  };
}

describe('the watermark cache', () => {
  it('reads a subject once, shares the read, and keeps the answer', async () => {
    const store = slowStore(new Map([['u1', 3]]));
    const cache = createWatermarkCache(store);
    const both = Promise.all([cache.generation('u1'), cache.generation('u1')]);
    store.release();
    expect(await both).toEqual([3, 3]);
    expect(await cache.generation('u1')).toBe(3);
    expect(store.reads).toBe(1);
  });

  it('does not keep a read that raced an invalidation, and never goes below a raise', async () => {
    const generations = new Map([['u2', 1]]);
    const store = slowStore(generations);
    const cache = createWatermarkCache(store);
    const stale = cache.generation('u2');
    generations.set('u2', 2);
    cache.invalidate('u2');
    store.release();
    await stale;
    const fresh = cache.generation('u2');
    store.release();
    expect(await fresh).toBe(2);
    cache.raise('u2', 5);
    cache.raise('u2', 4);
    expect(await cache.generation('u2')).toBe(5);
  });

  it('calls a token superseded only when it carries a generation below its subject’s', async () => {
    const cache = createWatermarkCache({ get: () => Promise.resolve(2) });
    expect(isSuperseded(cache, { sub: 'u3' })).toBe(false);
    expect(await isSuperseded(cache, { sub: 'u3', gen: 1 })).toBe(true);
    expect(await isSuperseded(cache, { sub: 'u3', gen: 2 })).toBe(false);
  });
});
