// npm run bench: POST /oauth/token (client_credentials, HTTP Basic, form body) against three servers, each
// alone on core 0 while autocannon drives it from core 1 (see scenarios.mjs and README.md). BENCH_ROUNDS
// rounds, the servers interleaved within each; the report shows medians over rounds and the ratios the
// issue aims at, unless other processes disturbed a pass they draw on (noise-check.mjs). Every figure
// goes to bench/results/<time>.json. Settings: settings.mjs and README.md.
import { BenchError, warn } from './bench-error.mjs';
import { installCleanup, removeTempDirs, stopAll, wasInterrupted } from './child-processes.mjs';
import { allowedCpus, clockTicks } from './cpu-accounting.mjs';
import { cpuModel, latchkeySource, readPackageVersion } from './machine.mjs';
import { measurePass } from './measure-pass.mjs';
import { LOADGEN_CORE, SERVER_CORE, pinningPlan } from './pinning.mjs';
import { preflight, waitQuiet } from './quiet-wait.mjs';
import { formatReport, pct } from './report.mjs';
import { resultsPath, writeResults } from './results-file.mjs';
import { RATIO_PAIRS, REQUEST_BODY, TARGET_NAMES, basicAuthorization, roundOrder, standInCredentials } from './scenarios.mjs';
import { ROOT, provisionLatchkey } from './servers.mjs';
import { readSettings } from './settings.mjs';
import { ratios, summarize } from './statistics.mjs';

async function main() {
  installCleanup();
  const settings = readSettings(process.env, TARGET_NAMES);
  const pinning = pinningPlan();
  if (!pinning.pinned) warn(pinning.reason ?? 'unpinned');
  const machine = { node: process.version, cpuModel: cpuModel(), onlineCpus: allowedCpus(), clkTck: clockTicks(warn), platform: `${process.platform} ${process.arch}` };
  const startedAt = new Date();
  console.log(
    `Latchkey token bench: POST /oauth/token, ${settings.connections} connections, warm-up ${settings.warmupSeconds} s, ` +
      `measured ${settings.seconds} s per target, ${settings.rounds} round${settings.rounds > 1 ? 's' : ''}`,
  );
  console.log(`node ${machine.node}, ${machine.cpuModel}, cpus ${machine.onlineCpus}, CLK_TCK ${machine.clkTck}`);
  console.log(pinning.pinned ? `servers on core ${SERVER_CORE}, load generator on core ${LOADGEN_CORE} (taskset)` : 'UNPINNED (see warning above)');
  const busyBefore = await preflight(pinning);

  const latchkey = settings.targets.includes('latchkey') ? await provisionLatchkey() : null;
  const credentials = latchkey ? { clientId: latchkey.clientId, clientSecret: latchkey.clientSecret } : standInCredentials();
  const ctx = {
    pinning,
    cpuProfDir: settings.cpuProfDir,
    credentials,
    latchkey,
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
    for (const name of roundOrder(settings.targets, i)) {
      // A noisy pass says little about the server: repeat it (bounded); the last attempt stands, marked.
      for (let attempt = 1; ; attempt++) {
        await waitQuiet(settings.waitQuietSeconds, pinning);
        const figures = await measurePass(name, ctx, attempt);
        round[name] = figures;
        if (!figures.noise.noisy || attempt > settings.noiseRepeats) break;
        const worst = Math.max(...figures.noise.groups.map((g) => g.noiseShare));
        console.log(`  repeating ${name}: other processes held ${pct(worst)} of a measured core (repeat ${attempt} of ${settings.noiseRepeats})`);
      }
    }
    rounds.push(round);
  }
  const summary = summarize(rounds, settings.targets);
  const r = ratios(rounds, RATIO_PAIRS);
  console.log(formatReport({ targets: settings.targets, rounds, summary, ratios: r, pairs: RATIO_PAIRS, pinning, settings }));

  const file = resultsPath(startedAt);
  const { cpuProfDir, ...publicSettings } = settings;
  writeResults(file, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, coresBusyBeforeStart: busyBefore },
    pinning,
    settings: { ...publicSettings, body: REQUEST_BODY, cpuProfiled: cpuProfDir !== null, request: 'POST /oauth/token, client_secret_basic, application/x-www-form-urlencoded' },
    latchkeySource: latchkeySource(),
    versions: { oidcProvider: readPackageVersion('oidc-provider'), autocannon: readPackageVersion('autocannon'), fastify: readPackageVersion('fastify') },
    aims: Object.fromEntries(RATIO_PAIRS.map((p) => [p.key, p.aim])),
    summary,
    ratios: r,
    rounds,
  });
  console.log(`figures written to ${file.slice(ROOT.length + 1)}`);
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
