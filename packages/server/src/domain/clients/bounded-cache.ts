/**
 * A fixed-capacity map with a segmented LRU policy. A key enters the probation segment; only a second hit
 * while it is there promotes it to the protected segment, which holds most of the capacity. So a scan or a
 * burst of keys seen once (a million distinct clients passing through, or someone trying ids) can only
 * churn probation: the keys in use again and again stay protected, and memory never exceeds `capacity`
 * entries. The protected segment's least recent key falls back to probation, where it has another chance.
 *
 * Recency is a JavaScript Map's insertion order (delete and set again moves a key to the end), so every
 * operation is O(1) with no list nodes of its own.
 */
export interface BoundedCache<K, V> {
  /** The value, counting the hit (a probation key hit again is promoted). */
  get(key: K): V | undefined;
  /** The value without counting a hit. */
  peek(key: K): V | undefined;
  has(key: K): boolean;
  /** Adds or replaces; a new key enters probation, evicting probation's least recent key when full. */
  set(key: K, value: V): void;
  /** Replaces the value of a cached key where it stands (no hit counted, no eviction); false when absent. */
  replace(key: K, value: V): boolean;
  delete(key: K): void;
  /** Every entry, protected first; replacing or deleting while iterating is safe. */
  entries(): IterableIterator<[K, V]>;
  clear(): void;
  readonly size: number;
  readonly capacity: number;
}

// The share of the capacity kept for keys seen again: what a burst of new keys cannot touch.
const PROTECTED_SHARE = 0.8;

export function createBoundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a cache needs a capacity of at least 1, got ${capacity}`);
  const protectedMax = Math.floor(capacity * PROTECTED_SHARE);
  const probation = new Map<K, V>();
  const kept = new Map<K, V>();

  const oldest = (segment: Map<K, V>): K | undefined => segment.keys().next().value;
  const evictFromProbation = (): void => {
    while (probation.size > 0 && probation.size + kept.size > capacity) {
      const key = oldest(probation);
      if (key === undefined) return;
      probation.delete(key);
    }
  };

  return {
    get(key) {
      const hot = kept.get(key);
      if (hot !== undefined) {
        kept.delete(key);
        kept.set(key, hot);
        return hot;
      }
      const value = probation.get(key);
      if (value === undefined) return undefined;
      probation.delete(key);
      if (protectedMax === 0) {
        probation.set(key, value);
        return value;
      }
      kept.set(key, value);
      if (kept.size > protectedMax) {
        const demoted = oldest(kept);
        if (demoted !== undefined) {
          const demotedValue = kept.get(demoted) as V;
          kept.delete(demoted);
          probation.set(demoted, demotedValue);
        }
      }
      return value;
    },
    peek(key) {
      return kept.get(key) ?? probation.get(key);
    },
    has(key) {
      return kept.has(key) || probation.has(key);
    },
    set(key, value) {
      if (kept.has(key)) {
        kept.set(key, value);
        return;
      }
      probation.delete(key);
      probation.set(key, value);
      evictFromProbation();
    },
    replace(key, value) {
      // Map.set on a present key keeps its place in the order.
      const segment = kept.has(key) ? kept : probation.has(key) ? probation : null;
      segment?.set(key, value);
      return segment !== null;
    },
    delete(key) {
      kept.delete(key);
      probation.delete(key);
    },
    *entries() {
      yield* kept.entries();
      yield* probation.entries();
    },
    clear() {
      kept.clear();
      probation.clear();
    },
    get size() {
      return kept.size + probation.size;
    },
    capacity,
  };
}
