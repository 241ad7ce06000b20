// Starting the servers under test: Latchkey as built (provisioned with its own CLI on a fresh SQLite data
// directory) and the bench's two scripts. Each runs pinned to the server core, optionally under
// `node --cpu-prof`, and is ready when it answers (Latchkey) or says so (the scripts).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fail } from './bench-error.mjs';
import { HOST, freePort, pipeOutput, track, trackTempDir, waitFor } from './child-processes.mjs';
import { SERVER_CORE, onCore } from './pinning.mjs';

const execFileAsync = promisify(execFile);
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '..');
const LATCHKEY_CLI = join(ROOT, 'packages/server/dist/cli/main.js');
// A million clients make a large database; the server opens it, it does not read it, but give it time.
const STARTUP_MS = 60_000;
// A million clients fill the cache in some 20 s on the bench VM; PostgreSQL or more clients take longer.
const WARM_MS = 600_000;

/**
 * What starting a server needs: where to pin it, whether to profile it, and the one client's credentials.
 * @typedef {{
 *   pinning: import('./pinning.mjs').Pinning, cpuProfDir: string | null,
 *   credentials: { clientId: string, clientSecret: string },
 *   latchkey: ProvisionedLatchkey | null, baselineCli?: string | null,
 * }} ServerContext
 */

/**
 * How this one start differs: more environment, other cores ("0,1"), another Latchkey data directory.
 * `cli`: another build's packages/server/dist/cli/main.js (the baseline target).
 * @typedef {{ env?: Record<string, string>, cores?: string, latchkey?: ProvisionedLatchkey, cli?: string }} StartOptions
 */

/**
 * `startupMs`: from spawning it to its first answer (Latchkey) or its READY line (the scripts); `warmMs`
 * (Latchkey): to its client cache being full, as /readyz reports (the scripts: the same as `startupMs`).
 * @typedef {{ child: import('node:child_process').ChildProcess, url: string, startupMs: number, warmMs: number }} StartedServer
 */

/** @typedef {{ dataDir: string, env: NodeJS.ProcessEnv, clientId: string, clientSecret: string }} ProvisionedLatchkey */

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} args
 * @returns {Promise<Record<string, unknown>>}
 */
async function latchkeyCli(env, args) {
  const { stdout } = await execFileAsync(process.execPath, [LATCHKEY_CLI, '--json', ...args], { env, cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout);
}

/**
 * A fresh data directory with one service, one application and one client.
 * @returns {Promise<ProvisionedLatchkey>}
 */
export async function provisionLatchkey() {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  trackTempDir(dataDir);
  const port = await freePort();
  const env = { ...process.env, LATCHKEY_HOST: HOST, LATCHKEY_LOG_LEVEL: 'warn', LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PORT: String(port) };
  await latchkeyCli(env, ['service', 'create', '--key', 'email', '--name', 'Email', '--scopes', 'email:send,email:read']);
  await latchkeyCli(env, ['app', 'create', '--acronym', 'BENCH']);
  const client = await latchkeyCli(env, ['client', 'create', '--app', 'BENCH', '--env', 'dev', '--service', 'email']);
  if (typeof client.client_id !== 'string' || typeof client.client_secret !== 'string') {
    fail(`latchkey client create printed no client_id/client_secret: ${JSON.stringify(client)}`);
  }
  return { dataDir, env, clientId: client.client_id, clientSecret: client.client_secret };
}

/**
 * @param {string | null} cpuProfDir
 * @param {string} name
 * @returns {string[]}
 */
function cpuProfArgs(cpuProfDir, name) {
  if (!cpuProfDir) return [];
  mkdirSync(cpuProfDir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

/**
 * `latchkey serve` on the provisioned data directory; ready when GET /healthz answers 200.
 * @param {ServerContext} ctx
 * @param {StartOptions} [options]
 * @returns {Promise<StartedServer>}
 */
export async function startLatchkey(ctx, options = {}) {
  const latchkey = options.latchkey ?? ctx.latchkey;
  if (!latchkey) return fail('latchkey: not provisioned');
  const { env } = latchkey;
  const started = performance.now();
  // No drain on SIGTERM (nothing balances to it): it exits at once, in time to write its CPU profile.
  const [command, args] = onCore(ctx.pinning, options.cores ?? SERVER_CORE, process.execPath, [...cpuProfArgs(ctx.cpuProfDir, options.cli ? 'baseline' : 'latchkey'), options.cli ?? LATCHKEY_CLI, 'serve']);
  const child = track(spawn(command, args, { cwd: ROOT, env: { ...env, ...options.env, NODE_ENV: 'production', LATCHKEY_DRAIN_SECONDS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  pipeOutput(child, 'latchkey', null);
  const url = `http://${HOST}:${env.LATCHKEY_PORT}`;
  await waitFor('latchkey GET /healthz', child, STARTUP_MS, async () => {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  });
  const startupMs = performance.now() - started;
  // The client cache fills in the background (LATCHKEY_CLIENT_CACHE_WARM): measure what it serves once full.
  await waitFor('latchkey /readyz: client cache warm', child, WARM_MS, async () => {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
    const ready = /** @type {{ checks?: { client_cache?: string } }} */ (await response.json());
    return ready.checks?.client_cache !== 'warming';
  });
  return { child, url, startupMs, warmMs: performance.now() - started };
}

/**
 * One of the bench's server scripts; ready when it prints "READY <port>".
 * @param {string} label
 * @param {string} script a file in bench/
 * @param {ServerContext} ctx
 * @param {StartOptions} [options]
 * @returns {Promise<StartedServer>}
 */
export async function startScript(label, script, ctx, options = {}) {
  const port = await freePort();
  const started = performance.now();
  const env = {
    ...process.env,
    ...options.env,
    NODE_ENV: 'production',
    BENCH_PORT: String(port),
    BENCH_CLIENT_ID: ctx.credentials.clientId,
    BENCH_CLIENT_SECRET: ctx.credentials.clientSecret,
  };
  const [command, args] = onCore(ctx.pinning, options.cores ?? SERVER_CORE, process.execPath, [...cpuProfArgs(ctx.cpuProfDir, label), join(BENCH_DIR, script)]);
  const child = track(spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let isReady = false;
  void pipeOutput(child, label, /^READY \d+$/).then(() => {
    isReady = true;
  });
  await waitFor(`${label} startup`, child, STARTUP_MS, async () => isReady);
  const startupMs = performance.now() - started;
  return { child, url: `http://${HOST}:${port}`, startupMs, warmMs: startupMs };
}
