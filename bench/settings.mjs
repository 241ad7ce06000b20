// The bench's settings, read once from the environment; a bad value stops it with a message naming it.
import { resolve } from 'node:path';
import { fail } from './bench-error.mjs';

/**
 * @typedef {{
 *   seconds: number, warmupSeconds: number, connections: number, rounds: number,
 *   waitQuietSeconds: number, noiseRepeats: number, targets: string[], cpuProfDir: string | null,
 * }} Settings
 */

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {readonly string[]} knownTargets
 * @returns {Settings}
 */
export function readSettings(env, knownTargets) {
  const targets = (env.BENCH_TARGETS ?? knownTargets.join(',')).split(',').map((t) => t.trim()).filter(Boolean);
  for (const target of targets) {
    if (!knownTargets.includes(target)) fail(`BENCH_TARGETS: unknown target "${target}"; use some of ${knownTargets.join(', ')}`);
  }
  if (targets.length === 0) fail(`BENCH_TARGETS is empty; use some of ${knownTargets.join(', ')}`);
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
  };
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
