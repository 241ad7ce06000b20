// The SDK scenario (issue 15): a Fastify route behind @latchkey/sdk's verifier against the same bare
// route, with one repeated token (aim ≥ 0.9 of the bare route's requests/s), and at first sight (each
// request another token, pre-issued by Latchkey) against the same route doing one ES256 verify (aim within
// 1.2×); and the token client: 10,000 concurrent getToken() calls, counted at the fetch (aim: 1 request).
// Each pass runs like the others (bench/README.md): the resource server pinned to the server core, the
// load generator (autocannon) on the other, warm-up, measured run, CPU and noise per pass, rounds
// interleaved, medians and per-round ratios.
//
// `runSdkScenario(ctx)` is called by token-bench.mjs with its pass context; `node bench/sdk-bench.mjs`
// runs the scenario alone (after `npm run build`), with the same BENCH_* settings.
import { pathToFileURL } from 'node:url';
import { createTokenClient } from '@latchkey/sdk';
import { fail, warn } from './bench-error.mjs';
import { installCleanup, removeTempDirs, stopAll, stopChild } from './child-processes.mjs';
import { clockTicks, readCoreCounters, treeTicks } from './cpu-accounting.mjs';
import { startLoadGenerator } from './load-generator.mjs';
import { assessNoise } from './noise-check.mjs';
import { LOADGEN_CORE, measuredCores, pinningPlan } from './pinning.mjs';
import { fmt, pct } from './report.mjs';
import { benchRequest } from './requests.mjs';
import { TARGET_NAMES, roundOrder } from './scenarios.mjs';
import { provisionLatchkey, startLatchkey, startScript } from './servers.mjs';
import { readSettings } from './settings.mjs';
import { median, medianRatio, summarizeLatency } from './statistics.mjs';

const AUDIENCE = 'urn:latchkey:service:email:dev';
const RESOURCE_PATH = '/resource';
const CONCURRENT_CALLS = 10_000;
const FRESH_TOKENS_PER_SECOND = 15_000;

/**
 * The passes of a round: which resource server mode, and whether each request carries another token.
 * @typedef {{ key: string, mode: 'bare' | 'verified' | 'one-verify', fresh: boolean }} SdkPass
 */

/** @type {readonly SdkPass[]} */
export const SDK_PASSES = [
  { key: 'sdk bare route', mode: 'bare', fresh: false },
  { key: 'sdk verified repeated', mode: 'verified', fresh: false },
  { key: 'sdk one ES256 verify', mode: 'one-verify', fresh: true },
  { key: 'sdk verified first sight', mode: 'verified', fresh: true },
];

/** @type {ReadonlyArray<{ key: string, of: string, over: string, aim: number, what: string }>} */
export const SDK_RATIOS = [
  { key: 'sdkRepeatedVsBare', of: 'sdk verified repeated', over: 'sdk bare route', aim: 0.9, what: 'verified route (repeated token) / bare route' },
  { key: 'sdkFirstSightVsOneVerify', of: 'sdk verified first sight', over: 'sdk one ES256 verify', aim: 1 / 1.2, what: 'verified route at first sight / one ES256 verify' },
];

/**
 * @typedef {{
 *   requestsPerSecond: number, cpuMicrosPerRequest: number, p50Ms: number | null, p99Ms: number | null,
 *   serverCpuShare: number, noisy: boolean, noise: import('./noise-check.mjs').NoiseReading,
 * }} SdkPassFigures
 */

/**
 * @typedef {import('./servers.mjs').ServerContext & { clkTck: number, settings: import('./settings.mjs').Settings }} SdkContext
 */

/**
 * The token client's single-flight, against the running Latchkey: how many token requests 10,000
 * concurrent getToken() calls made (counted at the fetch the client is given).
 * @param {string} issuer
 * @param {{ clientId: string, clientSecret: string }} credentials
 */
export async function measureSingleFlight(issuer, credentials) {
  let tokenRequests = 0;
  /** @type {typeof fetch} */
  const counting = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/oauth/token')) tokenRequests++;
    return fetch(input, init);
  };
  const client = createTokenClient({ issuer, ...credentials, fetch: counting });
  const started = performance.now();
  const tokens = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => client.getToken()));
  const ms = performance.now() - started;
  client.close();
  return { calls: CONCURRENT_CALLS, tokenRequests, distinctTokens: new Set(tokens).size, ms, token: tokens[0] ?? '' };
}

/**
 * One measured pass of one resource server mode.
 * @param {SdkPass} pass
 * @param {SdkContext} ctx
 * @param {{ issuer: string, token: string, loader: import('./load-generator.mjs').LoadGenerator }} inputs
 * @returns {Promise<SdkPassFigures>}
 */
async function measureSdkPass(pass, ctx, { issuer, token, loader }) {
  const { settings } = ctx;
  console.log(`\n▶ ${pass.key}: bench/sdk-resource-server.mjs BENCH_SDK_MODE=${pass.mode}${pass.fresh ? ', each request another token' : ', one repeated token'}`);
  const started = await startScript(pass.key, 'sdk-resource-server.mjs', ctx, { env: { BENCH_SDK_MODE: pass.mode, BENCH_SDK_ISSUER: issuer, BENCH_SDK_AUDIENCE: AUDIENCE } });
  try {
    const url = `${started.url}${RESOURCE_PATH}`;
    const headers = { authorization: `Bearer ${token}` };
    const check = await fetch(url, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
    if (check.status !== 200) fail(`${pass.key}: POST ${RESOURCE_PATH} answered ${check.status}: ${await check.text()}`);
    await check.arrayBuffer();
    const base = { url, headers, body: '', connections: settings.connections };
    // The warm-up sends the repeated token, so that the fresh ones are each seen first by the measured run.
    const warm = await loader.run({ ...base, seconds: settings.warmupSeconds });
    checkRun(pass.key, 'warm-up', warm);
    const serverPid = /** @type {number} */ (started.child.pid);
    const loaderPid = /** @type {number} */ (loader.child.pid);
    const serverBefore = treeTicks(serverPid);
    const loaderBefore = treeTicks(loaderPid);
    const coresBefore = readCoreCounters();
    const wallBefore = process.hrtime.bigint();
    const variants = pass.fresh ? { variants: { pool: 'sdk-fresh', field: /** @type {const} */ ('authorization'), prefix: 'Bearer ', spread: /** @type {const} */ ('sequence') } } : {};
    const r = await loader.run({ ...base, seconds: settings.seconds, ...variants });
    const wallSeconds = Number(process.hrtime.bigint() - wallBefore) / 1e9;
    const serverTicks = treeTicks(serverPid).total - serverBefore.total;
    const loaderTicks = treeTicks(loaderPid).total - loaderBefore.total;
    const coresAfter = readCoreCounters();
    checkRun(pass.key, 'measured run', r);
    if (r.wrappedVariants > 0) warn(`${pass.key}: the token pool ran out: ${fmt(r.wrappedVariants, 0)} requests reused a token (raise BENCH_FRESH_TOKENS)`);
    const own = { server: serverTicks, loadgen: loaderTicks, both: serverTicks + loaderTicks };
    const noise = assessNoise(coresBefore, coresAfter, measuredCores(ctx.pinning).map(({ cores, role }) => ({ cores, role, measuredTicks: own[role] })));
    const latency = summarizeLatency(r.latencyHistogram);
    const figures = {
      requestsPerSecond: r.count2xx / r.durationSeconds,
      cpuMicrosPerRequest: ((serverTicks / ctx.clkTck) * 1e6) / r.count2xx,
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      serverCpuShare: serverTicks / ctx.clkTck / wallSeconds,
      noisy: noise.noisy,
      noise,
    };
    console.log(
      `  ${fmt(figures.requestsPerSecond, 0)} requests/s, ${fmt(figures.cpuMicrosPerRequest, 1)} µs CPU each, p50 ${fmt(figures.p50Ms ?? NaN, 2)} ms, p99 ${fmt(figures.p99Ms ?? NaN, 2)} ms ` +
        `(server ${pct(figures.serverCpuShare)} of a core)${noise.noisy ? '  NOISY' : ''}`,
    );
    return figures;
  } finally {
    await stopChild(started.child);
  }
}

/**
 * @param {string} label
 * @param {string} phase
 * @param {import('./load-generator.mjs').PassResult} r
 */
function checkRun(label, phase, r) {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.count2xx === 0) {
    fail(`${label} ${phase}: ${r.count2xx} 2xx, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors, ${r.timeouts} timeouts: the bench is invalid`);
  }
}

/**
 * The SDK scenario: BENCH_ROUNDS rounds of the four passes (interleaved), the single-flight check, and the
 * two ratios against their aims. Needs a provisioned Latchkey (`ctx.latchkey`), which it starts itself.
 * @param {SdkContext} ctx
 */
export async function runSdkScenario(ctx) {
  if (!ctx.latchkey) return fail('sdk: Latchkey is not provisioned');
  const issuer = `http://127.0.0.1:${ctx.latchkey.env.LATCHKEY_PORT}`;
  // Latchkey issues the tokens and serves discovery and the JWKS; it idles during the measured runs,
  // on the load generator's core so that the resource server has its core to itself.
  const latchkey = await startLatchkey(ctx, { env: { LATCHKEY_ISSUER: issuer }, cores: String(LOADGEN_CORE) });
  /** @type {import('./load-generator.mjs').LoadGenerator | null} */
  let loader = null;
  try {
    const singleFlight = await measureSingleFlight(issuer, ctx.credentials);
    console.log(`\n▶ sdk token client: ${singleFlight.calls.toLocaleString('en-US')} concurrent getToken() calls made ${singleFlight.tokenRequests} token request(s) (aim: 1), ${fmt(singleFlight.ms, 0)} ms`);
    loader = await startLoadGenerator(ctx.pinning);
    const tokenRequest = benchRequest('token', ctx.credentials);
    // A first sight is some 3× faster than an introspection: at least 15,000 tokens per measured second.
    const freshTokens = Math.max(ctx.settings.freshTokens, FRESH_TOKENS_PER_SECOND * ctx.settings.seconds);
    process.stdout.write(`  issuing ${fmt(freshTokens, 0)} tokens for the first-sight passes … `);
    const pool = await loader.fill({ type: 'collect', name: 'sdk-fresh', url: `${latchkey.url}${tokenRequest.path}`, headers: tokenRequest.headers, body: tokenRequest.body, count: freshTokens, field: 'access_token', concurrency: 32 });
    console.log(fmt(pool.size, 0));

    /** @type {Array<Record<string, SdkPassFigures>>} */
    const rounds = [];
    for (let i = 0; i < ctx.settings.rounds; i++) {
      /** @type {Record<string, SdkPassFigures>} */
      const round = {};
      for (const key of roundOrder(SDK_PASSES.map((p) => p.key), i)) {
        const pass = /** @type {SdkPass} */ (SDK_PASSES.find((p) => p.key === key));
        round[key] = await measureSdkPass(pass, ctx, { issuer, token: singleFlight.token, loader });
      }
      rounds.push(round);
    }
    const summary = Object.fromEntries(
      SDK_PASSES.map(({ key }) => [
        key,
        {
          requestsPerSecond: median(rounds.map((r) => r[key]?.requestsPerSecond)),
          cpuMicrosPerRequest: median(rounds.map((r) => r[key]?.cpuMicrosPerRequest)),
          p99Ms: median(rounds.map((r) => r[key]?.p99Ms)),
          noisyPasses: rounds.filter((r) => r[key]?.noisy).length,
        },
      ]),
    );
    const ratios = SDK_RATIOS.map((pair) => {
      const perRound = rounds.map((r) => {
        const of = r[pair.of]?.requestsPerSecond;
        const over = r[pair.over]?.requestsPerSecond;
        return of && over ? of / over : null;
      });
      const value = medianRatio(perRound);
      const noisy = rounds.some((r) => r[pair.of]?.noisy || r[pair.over]?.noisy);
      return { ...pair, value, perRound, met: value !== null && value >= pair.aim, noisy };
    });
    console.log(`\nSDK (medians of ${rounds.length} round${rounds.length > 1 ? 's' : ''})`);
    for (const { key } of SDK_PASSES) {
      const s = summary[key];
      console.log(`  ${key.padEnd(26)} ${fmt(s?.requestsPerSecond ?? NaN, 0).padStart(8)} requests/s  ${fmt(s?.cpuMicrosPerRequest ?? NaN, 1).padStart(7)} µs CPU  p99 ${fmt(s?.p99Ms ?? NaN, 2)} ms${s?.noisyPasses ? `  NOISY ${s.noisyPasses}` : ''}`);
    }
    for (const r of ratios) {
      console.log(`  ${r.what}: ${r.value === null ? '–' : fmt(r.value, 2)} (aim ≥ ${fmt(r.aim, 2)}: ${r.met ? 'met' : 'not met'})${r.noisy ? ' — from noisy passes' : ''}`);
    }
    console.log(`  token client: ${singleFlight.tokenRequests} token request(s) for ${singleFlight.calls.toLocaleString('en-US')} concurrent getToken() (aim 1: ${singleFlight.tokenRequests === 1 ? 'met' : 'not met'})`);
    const { token: _token, ...tokenClient } = singleFlight;
    return { rounds, summary, ratios, tokenClient };
  } finally {
    if (loader) {
      if (loader.child.connected) loader.child.send({ type: 'exit' });
      await stopChild(loader.child, 3000);
    }
    await stopChild(latchkey.child);
  }
}

// Alone: `node bench/sdk-bench.mjs` (BENCH_SCENARIOS is not read: this is the sdk scenario).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  installCleanup();
  const { BENCH_SCENARIOS: _ignored, ...env } = process.env;
  const settings = readSettings(env, TARGET_NAMES);
  const pinning = pinningPlan();
  if (!pinning.pinned) warn(pinning.reason ?? 'unpinned');
  const latchkey = await provisionLatchkey();
  runSdkScenario({ pinning, cpuProfDir: settings.cpuProfDir, credentials: { clientId: latchkey.clientId, clientSecret: latchkey.clientSecret }, latchkey, clkTck: clockTicks(warn), settings })
    .then(() => removeTempDirs())
    .catch(async (/** @type {unknown} */ error) => {
      process.stderr.write(`\nsdk bench FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
      await stopAll();
      removeTempDirs();
      process.exitCode = 1;
    });
}
