// Requests that differ from one to the next: a pool of values (one Authorization header per client, or
// one introspection body per pre-issued token) and the spread that picks which value each request gets.
// Pure functions over a seeded generator, so that a run is repeatable and the spreads can be tested.

/** @typedef {'zipf' | 'uniform' | 'sequence'} Spread */

export const SPREADS = /** @type {const} */ (['zipf', 'uniform', 'sequence']);

/**
 * A small, fast, seeded generator (mulberry32): uniform in [0, 1). Math.random would do, but a seed makes
 * two runs ask for the same clients in the same order.
 * @param {number} seed
 * @returns {() => number}
 */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The cumulative distribution of Zipf's law over ranks 1…n with exponent s: rank k is asked for in
 * proportion to 1/k^s. A few clients are hot and there is a long tail, as with real callers.
 * @param {number} n
 * @param {number} s
 * @returns {Float64Array}
 */
export function zipfCdf(n, s) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = /** @type {number} */ (cdf[i]) / sum;
  return cdf;
}

/**
 * The first index whose cumulative share reaches u (binary search).
 * @param {Float64Array} cdf
 * @param {number} u in [0, 1)
 * @returns {number}
 */
export function sampleCdf(cdf, u) {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (/** @type {number} */ (cdf[mid]) >= u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Zipf's exponent: 1 is the classic law (the top client gets about 7% of the requests among a million). */
export const ZIPF_EXPONENT = 1;

/**
 * A picker of pool indexes: `next()` is the index for the next request; `distinct()` how many different
 * indexes it has handed out; `wrapped()` how many a `sequence` handed out a second time.
 * @param {number} size
 * @param {Spread} spread
 * @param {number} [seed]
 * @returns {{ next: () => number, distinct: () => number, wrapped: () => number }}
 */
export function picker(size, spread, seed = 14) {
  if (!(size > 0)) throw new RangeError('picker: the pool is empty');
  const random = seededRandom(seed);
  const seen = new Uint8Array(size);
  let distinct = 0;
  let issued = 0;
  const cdf = spread === 'zipf' ? zipfCdf(size, ZIPF_EXPONENT) : null;
  const choose =
    spread === 'sequence' ? () => issued % size
    : cdf ? () => sampleCdf(cdf, random())
    : () => Math.floor(random() * size);
  return {
    next() {
      const index = choose();
      issued++;
      if (!seen[index]) {
        seen[index] = 1;
        distinct++;
      }
      return index;
    },
    distinct: () => distinct,
    // Only a sequence promises each value once; the random spreads repeat values by design.
    wrapped: () => (spread === 'sequence' ? Math.max(0, issued - size) : 0),
  };
}
