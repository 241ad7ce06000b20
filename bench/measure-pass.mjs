// One measured pass of one target: start the server, check one token, warm up, measure (throughput,
// latency, the server's and the load generator's CPU, what else ran on their cores), stop everything.
import { fail, warn } from './bench-error.mjs';
import { stopChild } from './child-processes.mjs';
import { allowedCpus, processTicks, readCoreCounters } from './cpu-accounting.mjs';
import { startLoadGenerator } from './load-generator.mjs';
import { assessNoise } from './noise-check.mjs';
import { measuredCores } from './pinning.mjs';
import { pct, fmt } from './report.mjs';
import { REQUEST_BODY, TARGETS } from './scenarios.mjs';
import { coreLabel, summarizeLatency } from './statistics.mjs';

/**
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
 *   serverAffinity: string | null, loadgenAffinity: string | null, token: TokenShape,
 * }} PassFigures
 */

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
 * One request before the load: a 200 with an ES256 at+jwt access token, or the bench stops.
 * @param {string} label
 * @param {string} url
 * @param {Record<string, string>} headers
 * @returns {Promise<TokenShape>}
 */
async function sanityCheck(label, url, headers) {
  const response = await fetch(`${url}/oauth/token`, { method: 'POST', headers, body: REQUEST_BODY, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 200) fail(`${label}: POST /oauth/token answered ${response.status}: ${text}`);
  const json = JSON.parse(text);
  const parts = typeof json.access_token === 'string' ? json.access_token.split('.') : [];
  if (parts.length !== 3) fail(`${label}: access_token is not a compact JWS: ${text}`);
  const header = decodeJwtPart(parts[0]);
  const payload = decodeJwtPart(parts[1]);
  if (header.alg !== 'ES256' || header.typ !== 'at+jwt') fail(`${label}: expected an ES256 at+jwt access token, got header ${JSON.stringify(header)}`);
  if (json.token_type?.toLowerCase() !== 'bearer' || typeof json.expires_in !== 'number') fail(`${label}: unexpected token response ${text}`);
  const cacheControl = response.headers.get('cache-control');
  if (cacheControl !== 'no-store') warn(`${label}: Cache-Control is ${cacheControl}, expected no-store`);
  console.log(`  ${label}: JWT header ${JSON.stringify(header)}`);
  console.log(`  ${label}: JWT claims ${Object.keys(payload).join(', ')}; token ${json.access_token.length} chars, response ${text.length} bytes`);
  return { header, claims: Object.keys(payload), tokenChars: json.access_token.length, responseBytes: text.length };
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
 * @param {string} name
 * @param {PassContext} ctx
 * @param {number} attempt
 * @returns {Promise<PassFigures>}
 */
export async function measurePass(name, ctx, attempt) {
  const target = TARGETS[name];
  if (!target) return fail(`unknown target ${name}`);
  const { settings } = ctx;
  console.log(`\n▶ ${target.label}: ${target.description()}`);
  const { child: server, url } = await target.start(ctx);
  /** @type {import('./load-generator.mjs').LoadGenerator | null} */
  let loader = null;
  try {
    const serverPid = /** @type {number} */ (server.pid);
    const serverAffinity = allowedCpus(serverPid);
    const token = await sanityCheck(target.label, url, ctx.headers);
    loader = await startLoadGenerator(ctx.pinning);
    const loaderPid = /** @type {number} */ (loader.child.pid);
    const loadgenAffinity = allowedCpus(loaderPid);
    console.log(`  server pid ${serverPid} on cpus ${serverAffinity}; load generator pid ${loaderPid} on cpus ${loadgenAffinity}`);
    const pass = { url: `${url}/oauth/token`, headers: ctx.headers, body: REQUEST_BODY, connections: settings.connections };

    process.stdout.write(`  warm-up ${settings.warmupSeconds} s … `);
    const warm = await loader.run({ ...pass, seconds: settings.warmupSeconds });
    checkPass(target.label, 'warm-up', warm);
    console.log(`${Math.round(warm.count2xx / warm.durationSeconds)} tokens/s`);

    process.stdout.write(`  measured ${settings.seconds} s … `);
    const serverBefore = processTicks(serverPid);
    const loaderBefore = processTicks(loaderPid);
    const coresBefore = readCoreCounters();
    const wallBefore = process.hrtime.bigint();
    const r = await loader.run({ ...pass, seconds: settings.seconds });
    const wallSeconds = Number(process.hrtime.bigint() - wallBefore) / 1e9;
    const serverAfter = processTicks(serverPid);
    const loaderAfter = processTicks(loaderPid);
    const coresAfter = readCoreCounters();
    checkPass(target.label, 'measured run', r);
    if (server.exitCode !== null) fail(`${target.label}: the server exited during the run`);

    const serverTicks = serverAfter.total - serverBefore.total;
    const loaderTicks = loaderAfter.total - loaderBefore.total;
    const ownTicks = { server: serverTicks, loadgen: loaderTicks, both: serverTicks + loaderTicks };
    const noise = assessNoise(coresBefore, coresAfter, measuredCores(ctx.pinning).map(({ cores, role }) => ({ cores, role, measuredTicks: ownTicks[role] })));
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
    };
    printPass(target.label, figures);
    return figures;
  } finally {
    if (loader) {
      if (loader.child.connected) loader.child.send({ type: 'exit' });
      await stopChild(loader.child, 3000);
    }
    await stopChild(server);
  }
}

/**
 * @param {string} label
 * @param {PassFigures} f
 */
function printPass(label, f) {
  console.log(
    `${fmt(f.tokensPerSecond, 0)} tokens/s, ${fmt(f.cpuMicrosPerToken, 1)} µs CPU/token, p50 ${fmt(f.latencyMs.p50, 2)} ms, p99 ${fmt(f.latencyMs.p99, 2)} ms` +
      ` (server ${pct(f.serverCpuShare)} of a core, load generator ${pct(f.loadgenCpuShare)})`,
  );
  for (const g of f.noise.groups) {
    console.log(`  ${coreLabel(g.cores)} meanwhile: ${pct(g.otherShare)} other processes, ${pct(g.stealShare)} stolen by the hypervisor, ${pct(g.idleShare)} idle${g.noisy ? '  NOISY' : ''}`);
  }
  if (f.serverCpuShare < 0.9) {
    const server = f.noise.groups[0];
    const why = server && server.noiseShare > 0.05
      ? `other processes (${pct(server.otherShare)}) and steal (${pct(server.stealShare)}) took part of its core`
      : `the load generator (${pct(f.loadgenCpuShare)} of its core) or the network stack held it back`;
    warn(`${label}: the server got only ${pct(f.serverCpuShare)} of its core: ${why}. Tokens/s understates it, and CPU µs/token is inflated too when it shared the core`);
  }
}
