import type { CollectedMetric, Sample } from './collected-metric.js';

export interface CounterTable {
  /** Adds one for these label values, in the order of the label names. */
  inc(...values: string[]): void;
  readonly metric: CollectedMetric;
}

interface Cell {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A counter for the request path: label values are looked up in nested maps (no key string built, no
 * label object hashed per call, as prom-client's `inc(labels)` does). Callers pass values from small closed
 * sets (a grant type, an OAuth error code), so the table stays small.
 */
export function createCounterTable(name: string, help: string, labelNames: readonly string[]): CounterTable {
  const root = new Map<string, unknown>();
  const cells: Cell[] = [];

  return {
    inc(...values) {
      let node = root;
      for (let depth = 0; depth < labelNames.length - 1; depth++) {
        const value = values[depth] ?? '';
        let next = node.get(value) as Map<string, unknown> | undefined;
        if (next === undefined) {
          next = new Map();
          node.set(value, next);
        }
        node = next;
      }
      const leaf = values[labelNames.length - 1] ?? '';
      let cell = node.get(leaf) as Cell | undefined;
      if (cell === undefined) {
        cell = { labels: Object.fromEntries(labelNames.map((label, i) => [label, values[i] ?? ''])), value: 0 };
        node.set(leaf, cell);
        cells.push(cell);
      }
      cell.value++;
    },
    metric: { name, help, type: 'counter', samples: (): Sample[] => cells.map(({ labels, value }) => ({ labels, value })) },
  };
}
