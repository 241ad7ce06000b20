// The noise check: over a measured pass, how much of each measured core went to anything that is not the
// server under test or its load generator (other processes, the kernel's work for them, the hypervisor's
// steal). Above NOISE_LIMIT of a core the pass measured the machine as much as the server, and a ratio
// drawn from it would say more about the neighbours than about Latchkey.
import { coreUse } from './cpu-accounting.mjs';

/** Share of a measured core that others may take before a pass counts as noisy. */
export const NOISE_LIMIT = 0.1;

/**
 * Cores measured together, and the ticks the bench's own processes spent on them over the pass. Pinned,
 * there is one group per core (the server's, the load generator's); unpinned, one group of every core
 * holding both, and its shares are then in units of one core.
 * @typedef {{ cores: number[], role: string, measuredTicks: number }} CoreGroup
 */

/**
 * What happened on one group of cores; shares are of one core's time over the pass.
 * @typedef {{ cores: number[], role: string, otherShare: number, stealShare: number, idleShare: number, noiseShare: number, noisy: boolean }} GroupNoise
 */

/**
 * @typedef {{ groups: GroupNoise[], noisy: boolean, unmeasured: boolean }} NoiseReading
 */

/**
 * @param {Map<number, import('./cpu-accounting.mjs').CoreCounters>} before /proc/stat at the start of the pass
 * @param {Map<number, import('./cpu-accounting.mjs').CoreCounters>} after /proc/stat at its end
 * @param {CoreGroup[]} groups
 * @param {number} [limit]
 * @returns {NoiseReading}
 */
export function assessNoise(before, after, groups, limit = NOISE_LIMIT) {
  /** @type {GroupNoise[]} */
  const readings = [];
  let unmeasured = false;
  for (const group of groups) {
    const uses = group.cores.map((core) => coreUse(before, after, core));
    if (uses.length === 0 || uses.some((use) => use === null)) {
      unmeasured = true;
      continue;
    }
    let busy = 0;
    let idle = 0;
    let steal = 0;
    let total = 0;
    for (const use of uses) {
      if (!use) continue;
      busy += use.busyTicks;
      idle += use.idleTicks;
      steal += use.stealTicks;
      total += use.totalTicks;
    }
    const perCore = total / uses.length;
    // /proc/stat and /proc/<pid>/stat sample at different moments, so the measured processes can come out
    // a tick or two above the core's busy time: that is no negative noise.
    const otherShare = Math.max(0, busy - group.measuredTicks) / perCore;
    const stealShare = steal / perCore;
    const noiseShare = otherShare + stealShare;
    readings.push({ cores: group.cores, role: group.role, otherShare, stealShare, idleShare: idle / perCore, noiseShare, noisy: noiseShare > limit });
  }
  return { groups: readings, noisy: readings.some((g) => g.noisy), unmeasured };
}

/**
 * The line the report prints under noisy figures: how to get a run that prints ratios.
 * @param {{ waitQuietSeconds: number, noiseRepeats: number }} settings
 * @returns {string}
 */
export function rerunAdvice(settings) {
  const waitQuiet = Math.max(120, settings.waitQuietSeconds * 2);
  const repeats = Math.max(4, settings.noiseRepeats * 2);
  return (
    'To get ratios, rerun on a quiet machine (no builds, tests or browsers on it; `top` shows who is busy), ' +
    `or let the bench wait and retry: BENCH_WAIT_QUIET=${waitQuiet} (wait before each pass for the cores to go quiet) ` +
    `BENCH_NOISE_REPEATS=${repeats} (repeat a noisy pass up to that many times) npm run bench`
  );
}
