import type { WatermarkStore } from './watermark.js';

/**
 * Each subject's watermark generation, as this process last read it. Introspection asks it about tokens
 * carrying `gen` only; the change feed invalidates a subject when any instance advances it, and this
 * process raises its own advances at once. A read that raced an invalidation is not kept.
 */
export interface WatermarkCache {
  generation(subject: string): Promise<number>;
  /** This process advanced the subject to `generation`: tokens below it are superseded now. */
  raise(subject: string, generation: number): void;
  invalidate(subject: string): void;
  clear(): void;
}

export function createWatermarkCache(store: Pick<WatermarkStore, 'get'>, options: { maxEntries?: number } = {}): WatermarkCache {
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, number>();
  const inFlight = new Map<string, Promise<number>>();
  let epoch = 0;

  const keep = (subject: string, generation: number): void => {
    entries.delete(subject);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(subject, generation);
  };

  return {
    generation(subject) {
      const known = entries.get(subject);
      if (known !== undefined) return Promise.resolve(known);
      let pending = inFlight.get(subject);
      if (!pending) {
        const startedAt = epoch;
        pending = store
          .get(subject)
          .then((generation) => {
            if (startedAt === epoch) keep(subject, Math.max(generation, entries.get(subject) ?? 0));
            return Math.max(generation, entries.get(subject) ?? 0);
          })
          .finally(() => inFlight.delete(subject));
        inFlight.set(subject, pending);
      }
      return pending;
    },
    raise(subject, generation) {
      if ((entries.get(subject) ?? 0) < generation) keep(subject, generation);
    },
    invalidate(subject) {
      epoch++;
      entries.delete(subject);
      inFlight.delete(subject);
    },
    clear() {
      epoch++;
      entries.clear();
      inFlight.clear();
    },
  };
}

/**
 * Whether a token was superseded by a newer one for its subject (its `gen` is below the subject's
 * generation). Tokens without `gen` are never superseded this way, and cost nothing here.
 */
export function isSuperseded(cache: WatermarkCache, claims: Readonly<Record<string, unknown>>): Promise<boolean> | false {
  if (typeof claims.gen !== 'number' || typeof claims.sub !== 'string') return false;
  const gen = claims.gen;
  return cache.generation(claims.sub).then((current) => gen < current);
}
