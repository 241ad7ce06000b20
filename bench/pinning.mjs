// Pinning: each server runs alone on one core and the load generator on another (taskset), so that the
// server never competes with its client for a core. Without taskset, or without both cores, the bench
// says so and runs unpinned.
import { spawnSync } from 'node:child_process';
import { allowedCpus, parseCpuList } from './cpu-accounting.mjs';

export const SERVER_CORE = 0;
export const LOADGEN_CORE = 1;

/** @typedef {{ pinned: boolean, reason: string | null }} Pinning */

/** @returns {Pinning} */
export function pinningPlan() {
  const probe = spawnSync('taskset', ['-c', String(SERVER_CORE), 'true']);
  if (/** @type {NodeJS.ErrnoException | undefined} */ (probe.error)?.code === 'ENOENT') {
    return { pinned: false, reason: '`taskset` is not installed (util-linux); server and load generator run UNPINNED and compete for the same cores, so the figures mix both' };
  }
  const allowed = allowedCpus();
  const cpus = allowed ? parseCpuList(allowed) : null;
  if (cpus && (!cpus.has(SERVER_CORE) || !cpus.has(LOADGEN_CORE))) {
    return { pinned: false, reason: `cores ${SERVER_CORE} and ${LOADGEN_CORE} are not both available to this process (allowed: ${allowed}); running UNPINNED` };
  }
  if (probe.status !== 0) {
    return { pinned: false, reason: `taskset -c ${SERVER_CORE} failed (${probe.stderr?.toString().trim()}); running UNPINNED` };
  }
  return { pinned: true, reason: null };
}

/**
 * argv for a command on one core, or a list of them ("0,1"), or unpinned. taskset execs the command, so
 * the pid is the command's.
 * @param {Pinning} pinning
 * @param {number | string} core
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function onCore(pinning, core, command, args) {
  return pinning.pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/**
 * The cores the noise check watches, and which of the bench's processes may run on each.
 * @param {Pinning} pinning
 * @returns {Array<{ cores: number[], role: 'server' | 'loadgen' | 'both' }>}
 */
export function measuredCores(pinning) {
  if (pinning.pinned) return [{ cores: [SERVER_CORE], role: 'server' }, { cores: [LOADGEN_CORE], role: 'loadgen' }];
  const allowed = allowedCpus();
  return [{ cores: allowed ? [...parseCpuList(allowed)] : [SERVER_CORE, LOADGEN_CORE], role: 'both' }];
}
