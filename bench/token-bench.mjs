// npm run bench: POST /oauth/token (client_credentials, HTTP Basic, form body) against three servers, each
// alone on core 0 while the load generator drives it from core 1 (see scenarios.mjs and README.md), and
// the other scenarios of cases.mjs (open-loop latency, dialects, introspection, workers, many clients).
// BENCH_ROUNDS rounds, the cases interleaved within each; the report shows medians over rounds and the
// ratios the issue aims at, unless other processes disturbed a pass they draw on (noise-check.mjs).
// Every figure goes to bench/results/<time>.json. Settings: settings.mjs and README.md.
import { BenchError, fail, warn } from './bench-error.mjs';
import { installCleanup, removeTempDirs, sleep, stopAll, wasInterrupted } from './child-processes.mjs';
import { allowedCpus, clockTicks } from './cpu-accounting.mjs';
import { cpuModel, latchkeySource, readPackageVersion } from './machine.mjs';
import { OPEN_LOOP_SHARE, ratioPairs, selectCases } from './cases.mjs';
import { addClients } from './many-clients.mjs';
import { runSdkScenario } from './sdk-bench.mjs';
import { measurePass } from './measure-pass.mjs';
import { LOADGEN_CORE, SERVER_CORE, pinningPlan } from './pinning.mjs';
import { preflight, waitQuiet } from './quiet-wait.mjs';
import { formatReport, pct } from './report.mjs';
import { resultsPath, writeResults } from './results-file.mjs';
import { REQUEST_BODY, TARGET_NAMES, basicAuthorization, roundOrder, standInCredentials } from './scenarios.mjs';
import { formatScenarioNotes } from './scenario-report.mjs';
import { ROOT, provisionLatchkey } from './servers.mjs';
import { readSettings } from './settings.mjs';
import { ratios, summarize } from './statistics.mjs';

/**
 * The many clients of each clients case, provisioned once for the whole run: a data directory each.
 * @param {readonly import('./cases.mjs').BenchCase[]} cases
 * @returns {Promise<Map<string, import('./measure-pass.mjs').ManyClients>>}
 */
async function provisionManyClients(cases) {
  /** @type {Map<string, import('./measure-pass.mjs').ManyClients>} */
  const out = new Map();
  for (const c of cases) {
    if (!c.clients) continue;
    const latchkey = await provisionLatchkey();
    process.stdout.write(`provisioning ${c.clients.toLocaleString('en-US')} clients … `);
    const added = await addClients(latchkey, c.clients);
    console.log(`${added.seconds.toFixed(1)} s`);
    out.set(c.key, { latchkey, file: added.file, sample: added.sample });
  }
  return out;
}

async function main() {
  installCleanup();
  const settings = readSettings(process.env, TARGET_NAMES);
  const pinning = pinningPlan();
  if (!pinning.pinned) warn(pinning.reason ?? 'unpinned');
  const cases = selectCases(settings.scenarios, settings.targets, settings.clientCounts);
  const pairs = ratioPairs(cases, settings.clientCounts);
  const keys = cases.map((c) => c.key);
  const machine = { node: process.version, cpuModel: cpuModel(), onlineCpus: allowedCpus(), clkTck: clockTicks(warn), platform: `${process.platform} ${process.arch}` };
  const startedAt = new Date();
  console.log(
    `Latchkey token bench: ${settings.scenarios.join(', ')}; ${settings.connections} connections, warm-up ${settings.warmupSeconds} s, ` +
      `measured ${settings.seconds} s per pass, ${cases.length} passes a round, ${settings.rounds} round${settings.rounds > 1 ? 's' : ''}`,
  );
  console.log(`node ${machine.node}, ${machine.cpuModel}, cpus ${machine.onlineCpus}, CLK_TCK ${machine.clkTck}`);
  console.log(pinning.pinned ? `servers on core ${SERVER_CORE}, load generator on core ${LOADGEN_CORE} (taskset)` : 'UNPINNED (see warning above)');
  const busyBefore = await preflight(pinning);

  const wantsSdk = settings.scenarios.includes('sdk');
  const latchkey = wantsSdk || cases.some((c) => c.target === 'latchkey' || c.target === 'baseline') ? await provisionLatchkey() : null;
  const manyClients = await provisionManyClients(cases);
  const credentials = latchkey ? { clientId: latchkey.clientId, clientSecret: latchkey.clientSecret } : standInCredentials();
  const ctx = {
    pinning,
    cpuProfDir: settings.cpuProfDir,
    credentials,
    latchkey,
    baselineCli: settings.baseline?.cli ?? null,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(credentials.clientId, credentials.clientSecret) },
    clkTck: machine.clkTck,
    settings,
  };

  /** @type {Array<Record<string, import('./measure-pass.mjs').PassFigures>>} */
  const rounds = [];
  for (let i = 0; i < settings.rounds; i++) {
    if (settings.rounds > 1) console.log(`\n═══ round ${i + 1} of ${settings.rounds}`);
    /** @type {Record<string, import('./measure-pass.mjs').PassFigures>} */
    const round = {};
    const closed = cases.filter((c) => !c.openLoop);
    const open = cases.filter((c) => c.openLoop);
    for (const key of roundOrder(closed.map((c) => c.key), i)) {
      const c = /** @type {import('./cases.mjs').BenchCase} */ (closed.find((x) => x.key === key));
      round[key] = await measureRepeated(c, ctx, { manyClients: manyClients.get(key) });
    }
    if (open.length) {
      const peak = round.latchkey?.tokensPerSecond;
      const rate = settings.openLoopRate ?? (peak ? Math.max(1, Math.round(peak * OPEN_LOOP_SHARE)) : fail('open-loop: no Latchkey peak to take half of; measure latchkey too, or set BENCH_OPEN_LOOP_RATE'));
      for (const key of roundOrder(open.map((c) => c.key), i)) {
        const c = /** @type {import('./cases.mjs').BenchCase} */ (open.find((x) => x.key === key));
        round[key] = await measureRepeated(c, ctx, { rate });
      }
    }
    rounds.push(round);
  }
  const summary = summarize(rounds, keys);
  const r = ratios(rounds, pairs);
  if (cases.length > 0) {
    console.log(formatReport({ targets: keys, rounds, summary, ratios: r, pairs, pinning, settings }));
    console.log(formatScenarioNotes({ cases, rounds, summary, settings }));
  }
  const sdk = wantsSdk ? await runSdkScenario(ctx) : null;

  const file = resultsPath(startedAt);
  const { cpuProfDir, ...publicSettings } = settings;
  writeResults(file, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, coresBusyBeforeStart: busyBefore },
    pinning,
    cases,
    settings: { ...publicSettings, body: REQUEST_BODY, cpuProfiled: cpuProfDir !== null, request: 'POST /oauth/token, client_secret_basic, application/x-www-form-urlencoded' },
    latchkeySource: latchkeySource(),
    versions: { oidcProvider: readPackageVersion('oidc-provider'), autocannon: readPackageVersion('autocannon'), fastify: readPackageVersion('fastify') },
    aims: Object.fromEntries(pairs.map((p) => [p.key, p.aim])),
    summary,
    ratios: r,
    rounds,
    sdk,
  });
  console.log(`figures written to ${file.slice(ROOT.length + 1)}`);
}

// After a pass that held both cores (two workers), the next single-core pass measured 15-20% slower
// (twice in one run, with no other process on the cores): give the machine this long idle first.
const COOL_DOWN_MS = 15_000;

/**
 * A noisy pass says little about the server: repeat it (bounded); the last attempt stands, marked.
 * @param {import('./cases.mjs').BenchCase} benchCase
 * @param {import('./measure-pass.mjs').PassContext} ctx
 * @param {import('./measure-pass.mjs').CaseInputs} inputs
 * @returns {Promise<import('./measure-pass.mjs').PassFigures>}
 */
async function measureRepeated(benchCase, ctx, inputs) {
  for (let attempt = 1; ; attempt++) {
    await waitQuiet(ctx.settings.waitQuietSeconds, ctx.pinning);
    const figures = await measurePass(benchCase, ctx, attempt, inputs);
    if ((benchCase.workers ?? 1) > 1) {
      console.log(`  cooling down ${COOL_DOWN_MS / 1000} s after a pass on both cores`);
      await sleep(COOL_DOWN_MS);
    }
    if (!figures.noise.noisy || attempt > ctx.settings.noiseRepeats) return figures;
    const worst = Math.max(...figures.noise.groups.map((g) => g.noiseShare));
    console.log(`  repeating ${benchCase.key}: other processes held ${pct(worst)} of a measured core (repeat ${attempt} of ${ctx.settings.noiseRepeats})`);
  }
}

main()
  .then(() => removeTempDirs())
  .catch(async (error) => {
    if (wasInterrupted()) return; // the signal handler is already stopping everything
    process.stderr.write(`\nbench FAILED: ${error instanceof BenchError ? error.message : (error?.stack ?? error)}\n`);
    await stopAll();
    removeTempDirs();
    process.exitCode = 1;
  });
