// bench/results/<UTC time, ISO 8601 basic>.json: everything a run measured, for comparing runs later.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BENCH_DIR } from './servers.mjs';

/**
 * @param {Date} startedAt
 * @returns {string}
 */
export function resultsPath(startedAt) {
  return join(BENCH_DIR, 'results', `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
}

/**
 * @param {string} file
 * @param {Record<string, unknown>} figures
 */
export function writeResults(file, figures) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}
