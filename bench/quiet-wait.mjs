// Before the bench and before each pass: how busy the measured cores already are, and (BENCH_WAIT_QUIET)
// waiting, bounded, for them to go quiet, so that fewer passes come out noisy.
import { warn } from './bench-error.mjs';
import { sleep } from './child-processes.mjs';
import { coreUse, readCoreCounters } from './cpu-accounting.mjs';
import { NOISE_LIMIT } from './noise-check.mjs';
import { LOADGEN_CORE, SERVER_CORE } from './pinning.mjs';
import { pct } from './report.mjs';

/**
 * Busy share (steal included) of the two bench cores over `ms`, while the bench itself runs nothing.
 * @param {number} ms
 * @returns {Promise<Record<number, number>>}
 */
async function busyShares(ms) {
  const before = readCoreCounters();
  await sleep(ms);
  const after = readCoreCounters();
  /** @type {Record<number, number>} */
  const busy = {};
  for (const core of [SERVER_CORE, LOADGEN_CORE]) {
    const use = coreUse(before, after, core);
    if (use) busy[core] = (use.busyTicks + use.stealTicks) / use.totalTicks;
  }
  return busy;
}

/** @param {Record<number, number>} busy */
const anyBusy = (busy) => Object.values(busy).some((share) => share > NOISE_LIMIT);

/**
 * @param {number} seconds BENCH_WAIT_QUIET; 0 does not wait
 * @param {import('./pinning.mjs').Pinning} pinning
 */
export async function waitQuiet(seconds, pinning) {
  if (!seconds || !pinning.pinned) return;
  const deadline = Date.now() + seconds * 1000;
  let busy = await busyShares(1000);
  let said = false;
  while (anyBusy(busy) && Date.now() < deadline) {
    if (!said) process.stdout.write(`  waiting up to ${seconds} s for the cores to go quiet (${Object.entries(busy).map(([c, b]) => `core ${c} ${pct(b)}`).join(', ')}) `);
    said = true;
    process.stdout.write('.');
    busy = await busyShares(1000);
  }
  if (said) console.log(anyBusy(busy) ? ' still busy, going ahead' : ' quiet');
}

/**
 * Warns when the cores are already busy before the bench starts (another build, tests, a browser …).
 * @param {import('./pinning.mjs').Pinning} pinning
 * @returns {Promise<Record<number, number> | null>}
 */
export async function preflight(pinning) {
  if (!pinning.pinned) return null;
  const busy = await busyShares(1000);
  for (const [core, share] of Object.entries(busy)) {
    if (share > NOISE_LIMIT) warn(`core ${core} was ${pct(share)} busy before the bench started: other work on this machine will skew the figures, and passes it disturbs will be marked noisy`);
  }
  return busy;
}
