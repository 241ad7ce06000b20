/**
 * A fixed-capacity map with a segmented LRU policy. A key enters the probation segment; only a second hit
 * while it is there promotes it to the protected segment, which holds most of the capacity. So a scan or a
 * burst of keys seen once (a million distinct clients passing through, or someone trying ids) can only
 * churn probation: the keys in use again and again stay protected, and memory never exceeds `capacity`
 * entries. The protected segment's least recent key falls back to probation, where it has another chance.
 *
 * A map finds the entry and two linked lists keep each segment's order, so every operation is O(1) (a
 * Map's own insertion order would do for the order, but finding its oldest key gets slower as deleted
 * entries pile up at its front).
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
  /** Every entry; replacing or deleting while iterating is safe. */
  entries(): IterableIterator<[K, V]>;
  clear(): void;
  readonly size: number;
  readonly capacity: number;
}

// The share of the capacity kept for keys seen again: what a burst of new keys cannot touch.
const PROTECTED_SHARE = 0.8;

interface Node<K, V> {
  readonly key: K;
  value: V;
  kept: boolean;
  newer: Node<K, V> | null;
  older: Node<K, V> | null;
}

/** One segment: a doubly linked list from most to least recent, with its length. */
class Segment<K, V> {
  newest: Node<K, V> | null = null;
  oldest: Node<K, V> | null = null;
  length = 0;

  pushNewest(node: Node<K, V>): void {
    node.older = this.newest;
    node.newer = null;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
    this.length++;
  }

  unlink(node: Node<K, V>): void {
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = node.older = null;
    this.length--;
  }

  clear(): void {
    this.newest = this.oldest = null;
    this.length = 0;
  }
}

export function createBoundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a cache needs a capacity of at least 1, got ${capacity}`);
  const protectedMax = Math.floor(capacity * PROTECTED_SHARE);
  const nodes = new Map<K, Node<K, V>>();
  const probation = new Segment<K, V>();
  const kept = new Segment<K, V>();

  const promote = (node: Node<K, V>): void => {
    probation.unlink(node);
    node.kept = true;
    kept.pushNewest(node);
    const demoted = kept.length > protectedMax ? kept.oldest : null;
    if (demoted) {
      kept.unlink(demoted);
      demoted.kept = false;
      probation.pushNewest(demoted);
    }
  };

  return {
    get(key) {
      const node = nodes.get(key);
      if (!node) return undefined;
      if (node.kept) {
        if (kept.newest !== node) {
          kept.unlink(node);
          kept.pushNewest(node);
        }
      } else if (protectedMax > 0) promote(node);
      return node.value;
    },
    peek(key) {
      return nodes.get(key)?.value;
    },
    has(key) {
      return nodes.has(key);
    },
    set(key, value) {
      const present = nodes.get(key);
      if (present) {
        present.value = value;
        return;
      }
      const node: Node<K, V> = { key, value, kept: false, newer: null, older: null };
      nodes.set(key, node);
      probation.pushNewest(node);
      while (nodes.size > capacity && probation.oldest) {
        const evicted = probation.oldest;
        probation.unlink(evicted);
        nodes.delete(evicted.key);
      }
    },
    replace(key, value) {
      const node = nodes.get(key);
      if (node) node.value = value;
      return node !== undefined;
    },
    delete(key) {
      const node = nodes.get(key);
      if (!node) return;
      (node.kept ? kept : probation).unlink(node);
      nodes.delete(key);
    },
    *entries() {
      for (const [key, node] of nodes) yield [key, node.value];
    },
    clear() {
      nodes.clear();
      kept.clear();
      probation.clear();
    },
    get size() {
      return nodes.size;
    },
    capacity,
  };
}
