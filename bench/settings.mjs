// The bench's settings, read once from the environment; a bad value stops it with a message naming it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from './bench-error.mjs';
import { DEFAULT_SCENARIOS, SCENARIOS } from './cases.mjs';
import { SPREADS } from './variants.mjs';

/**
 * @typedef {{
 *   seconds: number, warmupSeconds: number, connections: number, rounds: number,
 *   waitQuietSeconds: number, noiseRepeats: number, targets: string[], cpuProfDir: string | null,
 *   scenarios: string[], clientCounts: number[], clientSpread: import('./variants.mjs').Spread,
 *   freshTokens: number, openLoopRate: number | null, baseline: { dir: string, cli: string } | null,
 * }} Settings
 */

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {readonly string[]} knownTargets
 * @returns {Settings}
 */
export function readSettings(env, knownTargets) {
  const baseline = baselineBuild(env);
  // The baseline runs by default once it is named, and only then.
  const targets = names(env, 'BENCH_TARGETS', knownTargets, knownTargets.filter((t) => t !== 'baseline' || baseline), 'target');
  if (targets.includes('baseline') && !baseline) fail('BENCH_TARGETS names baseline: set BENCH_BASELINE to the checkout to compare with');
  const scenarios = names(env, 'BENCH_SCENARIOS', SCENARIOS, DEFAULT_SCENARIOS, 'scenario');
  const clientCounts = (env.BENCH_CLIENTS?.trim() || '1000,1000000').split(',').map((n) => {
    const count = n.trim().replace(/_/g, '');
    if (!/^\d+$/.test(count) || Number(count) < 1) fail(`BENCH_CLIENTS: "${n.trim()}" is not a whole number ≥ 1`);
    return Number(count);
  });
  const clientSpread = /** @type {import('./variants.mjs').Spread} */ (env.BENCH_CLIENT_SPREAD?.trim() || 'zipf');
  if (!SPREADS.includes(clientSpread)) fail(`BENCH_CLIENT_SPREAD=${clientSpread} is not valid: use one of ${SPREADS.join(', ')}`);
  const openLoopRate = wholeNumber(env, 'BENCH_OPEN_LOOP_RATE', 0, 1);
  const profDir = env.BENCH_CPU_PROF_DIR?.trim();
  return {
    seconds: wholeNumber(env, 'BENCH_SECONDS', 15, 1),
    warmupSeconds: wholeNumber(env, 'BENCH_WARMUP_SECONDS', 3, 1),
    connections: wholeNumber(env, 'BENCH_CONNECTIONS', 32, 1),
    // Three rounds by default: one round is one sample per target, and a median of three shrugs off the
    // one pass a neighbour happened to disturb.
    rounds: wholeNumber(env, 'BENCH_ROUNDS', 3, 1),
    waitQuietSeconds: wholeNumber(env, 'BENCH_WAIT_QUIET', 0, 0),
    noiseRepeats: wholeNumber(env, 'BENCH_NOISE_REPEATS', 2, 0),
    targets,
    cpuProfDir: profDir ? resolve(profDir) : null,
    scenarios,
    clientCounts,
    clientSpread,
    // Enough tokens for every request of a pass at about 4,000 introspections/s; past that they repeat.
    freshTokens: wholeNumber(env, 'BENCH_FRESH_TOKENS', 4000 * (wholeNumber(env, 'BENCH_SECONDS', 15, 1) + wholeNumber(env, 'BENCH_WARMUP_SECONDS', 3, 1)), 1),
    openLoopRate: openLoopRate || null,
    baseline,
  };
}

/**
 * BENCH_BASELINE: a checkout of another commit, built (`git worktree add /tmp/before <commit> && cd
 * /tmp/before && npm ci && npm run build`), measured as the `baseline` target.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {{ dir: string, cli: string } | null}
 */
function baselineBuild(env) {
  const raw = env.BENCH_BASELINE?.trim();
  if (!raw) return null;
  const dir = resolve(raw);
  const cli = join(dir, 'packages/server/dist/cli/main.js');
  if (!existsSync(cli)) fail(`BENCH_BASELINE=${raw}: there is no packages/server/dist/cli/main.js; build that checkout first (npm ci && npm run build there)`);
  return { dir, cli };
}

/**
 * A comma-separated list of known names (the fallback when unset); an unknown or empty one stops the bench.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {string} name
 * @param {readonly string[]} known
 * @param {readonly string[]} fallback
 * @param {string} what
 * @returns {string[]}
 */
function names(env, name, known, fallback, what) {
  const list = (env[name] ?? fallback.join(',')).split(',').map((t) => t.trim()).filter(Boolean);
  for (const item of list) {
    if (!known.includes(item)) fail(`${name}: unknown ${what} "${item}"; use some of ${known.join(', ')}`);
  }
  if (list.length === 0) fail(`${name} is empty; use some of ${known.join(', ')}`);
  return list;
}

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @returns {number}
 */
function wholeNumber(env, name, fallback, min) {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`${name}=${raw} is not valid: expected a whole number ≥ ${min}`);
  return Number(raw);
}
