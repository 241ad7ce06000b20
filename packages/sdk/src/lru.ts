/**
 * A bounded least-recently-inserted-or-used cache over a Map (whose order is insertion order): a hit
 * re-inserts the entry, a set beyond `capacity` drops the oldest.
 *
 * @example
 * ```ts
 * const cache = new BoundedCache<string, number>(2);
 * cache.set('a', 1);
 * cache.get('a'); // 1
 * ```
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Refresh recency only when the entry is in the older half, so a hot set costs a lookup, not a reinsert.
    if (this.#entries.size > this.#capacity / 2) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
