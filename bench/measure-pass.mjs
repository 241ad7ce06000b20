// One measured pass of one case: start the server, check one answer, prepare what the case needs (a
// token to introspect, a pool of fresh ones, the many clients' headers), warm up, measure (throughput,
// latency, the server's and the load generator's CPU, memory, what else ran on their cores), stop.
import { fail, warn } from './bench-error.mjs';
import { stopChild } from './child-processes.mjs';
import { allowedCpus, readCoreCounters, treeRssBytes, treeTicks } from './cpu-accounting.mjs';
import { startLoadGenerator } from './load-generator.mjs';
import { assessNoise } from './noise-check.mjs';
import { LOADGEN_CORE, SERVER_CORE, measuredCores } from './pinning.mjs';
import { pct, fmt } from './report.mjs';
import { INTROSPECTION_PREFIX, benchRequest } from './requests.mjs';
import { TARGETS } from './scenarios.mjs';
import { coreLabel, summarizeLatency } from './statistics.mjs';

/**
 * `newVariants`: how many of the measured run's distinct pool values the warm-up had not sent (the same
 * seeded spread starts both, so the warm-up's values come first again): the clients it newly cached.
 *
 * The checked token: its header, claim names and size.
 * @typedef {{ header: Record<string, unknown>, claims: string[], tokenChars: number, responseBytes: number }} TokenShape
 */

/**
 * @typedef {{
 *   tokensPerSecond: number, cpuMicrosPerToken: number,
 *   latencyMs: import('./statistics.mjs').LatencySummary, latencyHistogram: Array<[number, number]>,
 *   autocannonLatencyMs: Record<string, number>,
 *   count2xx: number, non2xx: number, errors: number, timeouts: number, durationSeconds: number,
 *   serverCpuTicks: number, serverCpuTicksOfReapedChildren: number, serverCpuShare: number, loadgenCpuShare: number,
 *   noise: import('./noise-check.mjs').NoiseReading, attempt: number,
 *   serverAffinity: string | null, loadgenAffinity: string | null, token: TokenShape | null,
 *   startupMs: number, warmMs: number, rssStartBytes: number, rssEndBytes: number, rate: number | null,
 *   distinctVariants: number, newVariants: number, wrappedVariants: number,
 * }} PassFigures
 */

/**
 * The many clients of a clients case: their data directory, the file of their Authorization headers,
 * and one of them to check before the load.
 * @typedef {{ latchkey: import('./servers.mjs').ProvisionedLatchkey, file: string, sample: string }} ManyClients
 */

/** Every Latchkey case runs with the dialects mounted, so that /oauth/token and they meet the same server. */
const LATCHKEY_ENV = { LATCHKEY_DIALECTS: 'oauth2,authenticate,access-token,token-api' };

/**
 * @typedef {import('./servers.mjs').ServerContext & {
 *   headers: Record<string, string>, clkTck: number,
 *   settings: import('./settings.mjs').Settings,
 * }} PassContext
 */

/**
 * @param {string} part
 * @returns {Record<string, unknown>}
 */
function decodeJwtPart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/**
 * One request, answered 200 with JSON, or the bench stops.
 * @param {string} label
 * @param {string} url
 * @param {import('./requests.mjs').BenchRequest} request
 * @returns {Promise<{ json: Record<string, unknown>, text: string }>}
 */
async function postOnce(label, url, request) {
  const response = await fetch(`${url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 200) fail(`${label}: POST ${request.path} answered ${response.status}: ${text}`);
  const cacheControl = response.headers.get('cache-control');
  if (cacheControl !== 'no-store') warn(`${label}: POST ${request.path}: Cache-Control is ${cacheControl}, expected no-store`);
  const json = JSON.parse(text);
  const wrong = request.check(json);
  if (wrong) fail(`${label}: POST ${request.path}: ${wrong}: ${text}`);
  return { json, text };
}

/**
 * One request before the load: a good answer and, when it issues one, an ES256 at+jwt access token.
 * @param {string} label
 * @param {string} url
 * @param {import('./requests.mjs').BenchRequest} request
 * @returns {Promise<TokenShape | null>}
 */
async function sanityCheck(label, url, request) {
  const { json, text } = await postOnce(label, url, request);
  if (request.token === null) {
    console.log(`  ${label}: POST ${request.path} answered ${text.length} bytes: ${Object.keys(json).join(', ')}`);
    return null;
  }
  const token = json[request.token];
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (typeof token !== 'string' || parts.length !== 3) return fail(`${label}: ${request.token} is not a compact JWS: ${text}`);
  const header = decodeJwtPart(parts[0] ?? '');
  const payload = decodeJwtPart(parts[1] ?? '');
  if (header.alg !== 'ES256' || header.typ !== 'at+jwt') fail(`${label}: expected an ES256 at+jwt access token, got header ${JSON.stringify(header)}`);
  console.log(`  ${label}: JWT header ${JSON.stringify(header)}`);
  console.log(`  ${label}: JWT claims ${Object.keys(payload).join(', ')}; token ${token.length} chars, response ${text.length} bytes`);
  return { header, claims: Object.keys(payload), tokenChars: token.length, responseBytes: text.length };
}

/**
 * The token an introspection pass asks about: one the server under test issues with the bench's request.
 * @param {string} label
 * @param {string} url
 * @param {{ clientId: string, clientSecret: string }} credentials
 * @returns {Promise<string>}
 */
async function issueOne(label, url, credentials) {
  const { json } = await postOnce(label, url, benchRequest('token', credentials));
  return String(json.access_token);
}

/**
 * A fast error is not a token: any non-2xx answer, socket error or timeout makes the bench invalid.
 * @param {string} label
 * @param {string} phase
 * @param {import('./load-generator.mjs').PassResult} r
 */
function checkPass(label, phase, r) {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.count2xx === 0) {
    fail(`${label} ${phase}: ${r.count2xx} 2xx, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors, ${r.timeouts} timeouts: the bench is invalid`);
  }
}

/**
 * What one case needs beyond the context: the open-loop rate, the many clients.
 * @typedef {{ rate?: number, manyClients?: ManyClients }} CaseInputs
 */

/**
 * @param {import('./cases.mjs').BenchCase} benchCase
 * @param {PassContext} ctx
 * @param {number} attempt
 * @param {CaseInputs} [inputs]
 * @returns {Promise<PassFigures>}
 */
export async function measurePass(benchCase, ctx, attempt, inputs = {}) {
  const target = TARGETS[benchCase.target];
  if (!target) return fail(`unknown target ${benchCase.target}`);
  const { settings } = ctx;
  const label = benchCase.key;
  const workers = benchCase.workers ?? 1;
  const options = {
    env: { ...(benchCase.target === 'latchkey' || benchCase.target === 'baseline' ? LATCHKEY_ENV : {}), ...benchCase.env, ...(benchCase.workers ? { LATCHKEY_WORKERS: String(workers) } : {}) },
    // Two workers get both cores; the load generator stays on its core and shares it with them.
    ...(workers > 1 ? { cores: `${SERVER_CORE},${LOADGEN_CORE}` } : {}),
    ...(inputs.manyClients ? { latchkey: inputs.manyClients.latchkey } : {}),
  };
  const driven = inputs.rate ? `, open-loop at ${fmt(inputs.rate, 0)} requests/s` : '';
  console.log(`\n▶ ${label}: ${target.description()}${workers > 1 ? `, LATCHKEY_WORKERS=${workers} on cores ${SERVER_CORE},${LOADGEN_CORE}` : ''}${driven}`);
  let started = await target.start(ctx, options);
  /** @type {import('./load-generator.mjs').LoadGenerator | null} */
  let loader = null;
  try {
    loader = await startLoadGenerator(ctx.pinning);
    /** @type {import('./load-generator.mjs').Variants | undefined} */
    let variants;
    let request = benchRequest(benchCase.request, ctx.credentials);
    if (benchCase.request === 'introspect') {
      request = benchRequest('introspect', ctx.credentials, await issueOne(label, started.url, ctx.credentials));
    }
    if (benchCase.fresh) {
      const tokenRequest = benchRequest('token', ctx.credentials);
      process.stdout.write(`  issuing ${fmt(settings.freshTokens, 0)} tokens to introspect, each once … `);
      const pool = await loader.fill({ type: 'collect', name: 'fresh', url: `${started.url}${tokenRequest.path}`, headers: tokenRequest.headers, body: tokenRequest.body, count: settings.freshTokens, field: 'access_token', concurrency: 32 });
      console.log(`${fmt(pool.size, 0)}`);
      // A new process, so that no token of the pool is known to it from issuing it.
      await stopChild(started.child);
      started = await target.start(ctx, options);
      variants = { pool: 'fresh', field: 'body', prefix: INTROSPECTION_PREFIX, spread: 'sequence' };
    }
    if (inputs.manyClients) {
      const pool = await loader.fill({ type: 'load', name: 'clients', file: inputs.manyClients.file });
      console.log(`  ${fmt(pool.size, 0)} clients' credentials loaded; each request from one of them (${settings.clientSpread} spread); start-up took ${fmt(started.startupMs, 0)} ms, the client cache was full after ${fmt(started.warmMs, 0)} ms`);
      request = { ...request, headers: { ...request.headers, authorization: inputs.manyClients.sample } };
      variants = { pool: 'clients', field: 'authorization', prefix: '', spread: settings.clientSpread };
    }
    const { child: server, url } = started;
    const serverPid = /** @type {number} */ (server.pid);
    const serverAffinity = allowedCpus(serverPid);
    const token = await sanityCheck(label, url, request);
    const loaderPid = /** @type {number} */ (loader.child.pid);
    const loadgenAffinity = allowedCpus(loaderPid);
    console.log(`  server pid ${serverPid} on cpus ${serverAffinity}; load generator pid ${loaderPid} on cpus ${loadgenAffinity}`);
    const pass = { url: `${url}${request.path}`, headers: request.headers, body: request.body, connections: settings.connections, ...(inputs.rate ? { rate: inputs.rate } : {}), ...(variants ? { variants } : {}) };

    process.stdout.write(`  warm-up ${settings.warmupSeconds} s … `);
    // The fresh tokens are for the measured run; the warm-up asks about the one seen token.
    const warm = await loader.run({ ...pass, variants: undefined, seconds: settings.warmupSeconds, ...(variants && !benchCase.fresh ? { variants } : {}) });
    checkPass(label, 'warm-up', warm);
    console.log(`${Math.round(warm.count2xx / warm.durationSeconds)} answers/s`);
    // After the warm-up, so that what the server grows by is what the measured run made it cache.
    const rssStartBytes = treeRssBytes(serverPid);

    process.stdout.write(`  measured ${settings.seconds} s … `);
    const serverBefore = treeTicks(serverPid);
    const loaderBefore = treeTicks(loaderPid);
    const coresBefore = readCoreCounters();
    const wallBefore = process.hrtime.bigint();
    const r = await loader.run({ ...pass, seconds: settings.seconds });
    const wallSeconds = Number(process.hrtime.bigint() - wallBefore) / 1e9;
    const serverAfter = treeTicks(serverPid);
    const loaderAfter = treeTicks(loaderPid);
    const coresAfter = readCoreCounters();
    const rssEndBytes = treeRssBytes(serverPid);
    checkPass(label, 'measured run', r);
    if (server.exitCode !== null) fail(`${label}: the server exited during the run`);

    const serverTicks = serverAfter.total - serverBefore.total;
    const loaderTicks = loaderAfter.total - loaderBefore.total;
    const ownTicks = { server: serverTicks, loadgen: loaderTicks, both: serverTicks + loaderTicks };
    const groups = workers > 1 ? [{ cores: [SERVER_CORE, LOADGEN_CORE], role: /** @type {const} */ ('both') }] : measuredCores(ctx.pinning);
    const noise = assessNoise(coresBefore, coresAfter, groups.map(({ cores, role }) => ({ cores, role, measuredTicks: ownTicks[role] })));
    const cpuSeconds = serverTicks / ctx.clkTck;
    /** @type {PassFigures} */
    const figures = {
      tokensPerSecond: r.count2xx / r.durationSeconds,
      cpuMicrosPerToken: (cpuSeconds * 1e6) / r.count2xx,
      latencyMs: summarizeLatency(r.latencyHistogram),
      latencyHistogram: r.latencyHistogram,
      autocannonLatencyMs: r.autocannonLatencyMs,
      count2xx: r.count2xx,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      durationSeconds: r.durationSeconds,
      serverCpuTicks: serverTicks,
      serverCpuTicksOfReapedChildren: serverAfter.reaped - serverBefore.reaped,
      serverCpuShare: cpuSeconds / wallSeconds,
      loadgenCpuShare: r.loadgenCpuShare,
      noise,
      attempt,
      serverAffinity,
      loadgenAffinity,
      token,
      startupMs: started.startupMs,
      warmMs: started.warmMs,
      rssStartBytes,
      rssEndBytes,
      rate: inputs.rate ?? null,
      distinctVariants: r.distinctVariants,
      newVariants: Math.max(0, r.distinctVariants - warm.distinctVariants),
      wrappedVariants: r.wrappedVariants,
    };
    printPass(label, figures, workers);
    return figures;
  } finally {
    if (loader) {
      if (loader.child.connected) loader.child.send({ type: 'exit' });
      await stopChild(loader.child, 3000);
    }
    await stopChild(started.child);
  }
}

/**
 * @param {string} label
 * @param {PassFigures} f
 * @param {number} workers
 */
function printPass(label, f, workers) {
  console.log(
    `${fmt(f.tokensPerSecond, 0)} answers/s, ${fmt(f.cpuMicrosPerToken, 1)} µs CPU/token, p50 ${fmt(f.latencyMs.p50, 2)} ms, p99 ${fmt(f.latencyMs.p99, 2)} ms` +
      ` (server ${pct(f.serverCpuShare)} of a core, load generator ${pct(f.loadgenCpuShare)})`,
  );
  for (const g of f.noise.groups) {
    console.log(`  ${coreLabel(g.cores)} meanwhile: ${pct(g.otherShare)} other processes, ${pct(g.stealShare)} stolen by the hypervisor, ${pct(g.idleShare)} idle${g.noisy ? '  NOISY' : ''}`);
  }
  if (f.wrappedVariants > 0) warn(`${label}: the pool ran out: ${fmt(f.wrappedVariants, 0)} requests reused a value (raise BENCH_FRESH_TOKENS)`);
  // An open-loop pass runs below the server's peak by design: a part of its core stays idle.
  if (f.serverCpuShare < 0.9 * workers && !f.rate) {
    const server = f.noise.groups[0];
    const why = server && server.noiseShare > 0.05
      ? `other processes (${pct(server.otherShare)}) and steal (${pct(server.stealShare)}) took part of its core`
      : `the load generator (${pct(f.loadgenCpuShare)} of its core) or the network stack held it back`;
    warn(`${label}: the server got only ${pct(f.serverCpuShare)} of its core: ${why}. Tokens/s understates it, and CPU µs/token is inflated too when it shared the core`);
  }
}
