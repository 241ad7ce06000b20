// npm run bench: POST /oauth/token (client_credentials, HTTP Basic, form body) against three servers in
// one run, each alone on core 0 while autocannon drives it from core 1:
//   latchkey  Latchkey itself (packages/server/dist, built by `npm run bench`)
//   limit     bench/limit-server.mjs: bare Fastify + one ES256 signature, the ceiling for a Node server
//   peer      bench/oidc-peer.mjs: node-oidc-provider issuing JWT access tokens, the library to beat
// Prints a table with the ratios the issue aims at and writes the figures to bench/results/<time>.json.
// Settings (env): BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32),
// BENCH_ROUNDS (1; more rounds interleave the targets and report medians), BENCH_TARGETS
// (latchkey,limit,peer), BENCH_WAIT_QUIET (wait up to this many seconds before each target for the cores
// to go quiet), BENCH_CPU_PROF_DIR (write a V8 CPU profile of each server there).
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const LATCHKEY_CLI = join(ROOT, 'packages/server/dist/cli/main.js');
const HOST = '127.0.0.1';
const SERVER_CORE = 0;
const LOADGEN_CORE = 1;
const AIM = { throughputVsLimit: 0.75, throughputVsPeer: 3 };
const ALL_TARGETS = ['latchkey', 'limit', 'peer'];
/** Share of the server's core taken by other processes (and steal) above which a pass is repeated. */
const CONTENDED = 0.1;
const MAX_REPEATS = 2;

// ---------------------------------------------------------------------------------------------- settings

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) fail(`${name}=${raw} is not valid: expected a whole number ≥ 1`);
  return Number(raw);
}

function fail(message) {
  throw new BenchError(message);
}

class BenchError extends Error {}

const settings = {
  seconds: positiveInt('BENCH_SECONDS', 15),
  warmupSeconds: positiveInt('BENCH_WARMUP_SECONDS', 3),
  connections: positiveInt('BENCH_CONNECTIONS', 32),
  rounds: positiveInt('BENCH_ROUNDS', 1),
  waitQuietSeconds: process.env.BENCH_WAIT_QUIET ? positiveInt('BENCH_WAIT_QUIET', 0) : 0,
  pipelining: 1,
  targets: (process.env.BENCH_TARGETS ?? ALL_TARGETS.join(',')).split(',').map((t) => t.trim()).filter(Boolean),
  cpuProfDir: process.env.BENCH_CPU_PROF_DIR ? resolve(process.env.BENCH_CPU_PROF_DIR) : null,
  serverCore: SERVER_CORE,
  loadgenCore: LOADGEN_CORE,
  // The same bytes go to every target: scope named explicitly, because oidc-provider (unlike Latchkey)
  // grants no scope when none is asked for.
  body: 'grant_type=client_credentials&scope=email%3Asend+email%3Aread',
};
for (const t of settings.targets) if (!ALL_TARGETS.includes(t)) fail(`BENCH_TARGETS: unknown target "${t}"; use some of ${ALL_TARGETS.join(', ')}`);

// ------------------------------------------------------------------------------------- cleanup registry

const children = new Set();
const tempDirs = new Set();

function killAll(signal) {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function removeTempDirs() {
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

// Last resort (normal exit, uncaught error, signal): nothing started here outlives the bench.
process.on('exit', () => {
  killAll('SIGKILL');
  removeTempDirs();
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.exitCode = 130;
    process.stderr.write(`\n${signal}: stopping every server this bench started\n`);
    killAll('SIGTERM');
    setTimeout(() => process.exit(130), 1500).unref();
    // Exit as soon as every child is gone.
    const check = setInterval(() => {
      if ([...children].every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(130);
    }, 50);
    check.unref();
  });
}

function track(child, label) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.label = label;
  return child;
}

/** Sends SIGTERM, waits (bounded) for the exit, then SIGKILL. */
async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ------------------------------------------------------------------------------------------- the machine

function clockTicks() {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // fall through
  }
  warn('getconf CLK_TCK failed; assuming 100 clock ticks per second');
  return 100;
}

function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function parseCpuList(list) {
  const cpus = new Set();
  for (const part of list.trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a; c <= (b ?? a); c++) cpus.add(c);
  }
  return cpus;
}

function allowedCpus(pid = 'self') {
  try {
    const match = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? match[1].trim() : null;
  } catch {
    return null;
  }
}

function warn(message) {
  process.stderr.write(`WARNING: ${message}\n`);
}

/** Whether to pin, and why not when not. */
function pinningPlan() {
  const probe = spawnSync('taskset', ['-c', String(SERVER_CORE), 'true']);
  if (probe.error?.code === 'ENOENT') {
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

const machine = {
  node: process.version,
  cpuModel: cpuModel(),
  onlineCpus: allowedCpus(),
  clkTck: clockTicks(),
  platform: `${process.platform} ${process.arch}`,
};
/** When the newest file under `dir` was written: when dist was last (re)built. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest ? new Date(newest).toISOString() : null;
}

/** Which Latchkey was measured: the commit, and whether packages/server had uncommitted changes. */
function latchkeySource() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/server'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, uncommittedChanges: dirty, distBuiltAt: newestMtime(join(ROOT, 'packages/server/dist')) };
  } catch {
    return null;
  }
}

const pinning = pinningPlan();
if (!pinning.pinned) warn(pinning.reason);

/** argv for a command on one core (or unpinned). taskset execs the command, so the pid is the command's. */
function onCore(core, command, args) {
  return pinning.pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/** utime+stime of the process (all its threads), plus cutime+cstime of children it waited for, in ticks. */
function cpuTicksOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": field 3 (state) is index 0, so field n is index n - 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  const reaped = Number(fields[13]) + Number(fields[14]);
  return { own, reaped, total: own + reaped };
}

/** Per-core tick counters from /proc/stat: busy (user, nice, system, irq, softirq), idle (+iowait), steal. */
function coreTicks() {
  const cores = {};
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const m = /^cpu(\d+)\s+(.+)$/.exec(line);
      if (!m) continue;
      const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].trim().split(/\s+/).map(Number);
      cores[m[1]] = { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0 };
    }
  } catch {
    // not Linux: no contention figures
  }
  return cores;
}

/** Share of each of the two cores spent busy, idle and stolen between two coreTicks() readings. */
function coreUse(before, after, core) {
  const a = before[core];
  const b = after[core];
  if (!a || !b) return null;
  const busy = b.busy - a.busy;
  const idle = b.idle - a.idle;
  const steal = b.steal - a.steal;
  const total = busy + idle + steal;
  return total > 0 ? { busyTicks: busy, idleTicks: idle, stealTicks: steal, totalTicks: total } : null;
}

// ---------------------------------------------------------------------------------------------- helpers

function freePort() {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Forwards a child's output, prefixed, and resolves on the first stdout line matching `readyLine`. */
function pipeOutput(child, label, readyLine) {
  let resolveReady;
  const ready = new Promise((done) => {
    resolveReady = done;
  });
  const forward = (stream, target) => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (readyLine && target === process.stdout && readyLine.test(line)) resolveReady(line);
        else target.write(`  [${label}] ${line}\n`);
      }
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  return ready;
}

async function waitFor(what, child, timeoutMs, attempt) {
  const deadline = Date.now() + timeoutMs;
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  let lastError = null;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([attempt().then((ok) => ({ ok }), (error) => ({ ok: false, error })), exited.then((e) => ({ exited: e }))]);
    if (outcome.exited) fail(`${what}: the process exited (code ${outcome.exited.code}, signal ${outcome.exited.signal}) before it was ready`);
    if (outcome.ok) return;
    lastError = outcome.error ?? lastError;
    await sleep(100);
  }
  fail(`${what}: not ready within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`);
}

function decodeJwtPart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function basic(clientId, clientSecret) {
  const encode = (s) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

// ------------------------------------------------------------------------------------------------ targets

const LATCHKEY_BASE_ENV = { LATCHKEY_HOST: HOST, LATCHKEY_LOG_LEVEL: 'warn' };

async function latchkeyCli(env, args) {
  const { stdout } = await execFileAsync(process.execPath, [LATCHKEY_CLI, '--json', ...args], { env, cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout);
}

/** A fresh data directory with one service, one application and one client; returns env and credentials. */
async function provisionLatchkey() {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  tempDirs.add(dataDir);
  const port = await freePort();
  const env = { ...process.env, ...LATCHKEY_BASE_ENV, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PORT: String(port) };
  await latchkeyCli(env, ['service', 'create', '--key', 'email', '--name', 'Email', '--scopes', 'email:send,email:read']);
  await latchkeyCli(env, ['app', 'create', '--acronym', 'BENCH']);
  const client = await latchkeyCli(env, ['client', 'create', '--app', 'BENCH', '--env', 'dev', '--service', 'email']);
  if (typeof client.client_id !== 'string' || typeof client.client_secret !== 'string') {
    fail(`latchkey client create printed no client_id/client_secret: ${JSON.stringify(client)}`);
  }
  return { dataDir, port, env, clientId: client.client_id, clientSecret: client.client_secret };
}

function cpuProfArgs(name) {
  if (!settings.cpuProfDir) return [];
  mkdirSync(settings.cpuProfDir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

const TARGETS = {
  latchkey: {
    label: 'latchkey',
    description: 'Latchkey (packages/server/dist/cli/main.js serve, SQLite, LATCHKEY_LOG_LEVEL=warn)',
    async start(ctx) {
      const { port, env } = ctx.latchkey;
      const [command, args] = onCore(SERVER_CORE, process.execPath, [...cpuProfArgs('latchkey'), LATCHKEY_CLI, 'serve']);
      const child = track(spawn(command, args, { cwd: ROOT, env: { ...env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] }), 'latchkey');
      pipeOutput(child, 'latchkey', null);
      const url = `http://${HOST}:${port}`;
      await waitFor('latchkey GET /healthz', child, 30_000, async () => {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.status === 200;
      });
      return { child, url };
    },
  },
  limit: {
    label: 'limit',
    description: 'bench/limit-server.mjs (bare Fastify, urlencoded parse, one ES256 JWT, no auth, no logging)',
    async start(ctx) {
      return startScript('limit', 'limit-server.mjs', ctx);
    },
  },
  peer: {
    label: 'peer',
    description: `bench/oidc-peer.mjs (oidc-provider ${readPackageVersion('oidc-provider')}, client_credentials, JWT access tokens)`,
    async start(ctx) {
      return startScript('peer', 'oidc-peer.mjs', ctx);
    },
  },
};

function readPackageVersion(name) {
  for (const base of [join(BENCH_DIR, 'node_modules'), join(ROOT, 'node_modules')]) {
    try {
      return JSON.parse(readFileSync(join(base, name, 'package.json'), 'utf8')).version;
    } catch {
      // next
    }
  }
  return 'unknown';
}

async function startScript(label, script, ctx) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    BENCH_PORT: String(port),
    BENCH_CLIENT_ID: ctx.credentials.clientId,
    BENCH_CLIENT_SECRET: ctx.credentials.clientSecret,
  };
  const [command, args] = onCore(SERVER_CORE, process.execPath, [...cpuProfArgs(label), join(BENCH_DIR, script)]);
  const child = track(spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }), label);
  const ready = pipeOutput(child, label, /^READY \d+$/);
  let isReady = false;
  ready.then(() => {
    isReady = true;
  });
  await waitFor(`${label} startup`, child, 30_000, async () => isReady);
  return { child, url: `http://${HOST}:${port}` };
}

// ------------------------------------------------------------------------------------------- the loader

async function startLoadClient() {
  const [command, args] = onCore(LOADGEN_CORE, process.execPath, [join(BENCH_DIR, 'load-client.mjs')]);
  const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), 'load');
  // A send racing the child's exit (Ctrl-C) is reported through the pending run, not as a crash.
  child.on('error', () => undefined);
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const waiter = pending.get(message?.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.type === 'result') waiter.done(message.result);
    else waiter.reject(new BenchError(`load generator failed: ${message.message}`));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new BenchError(`load generator exited (code ${code}, signal ${signal})`));
    pending.clear();
  });
  await new Promise((done, reject) => {
    const timer = setTimeout(() => reject(new BenchError('load generator did not start within 30 s')), 30_000);
    child.once('message', () => {
      clearTimeout(timer);
      done();
    });
    child.once('exit', () => reject(new BenchError('load generator exited at startup')));
  });
  return {
    child,
    /** One autocannon pass, bounded: its duration plus 30 s, then the bench gives up. */
    run(options) {
      const id = ++nextId;
      return new Promise((done, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new BenchError(`load pass did not finish within ${options.seconds + 30} s`));
        }, (options.seconds + 30) * 1000);
        pending.set(id, {
          done: (r) => {
            clearTimeout(timer);
            done(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        if (child.connected) child.send({ type: 'run', id, ...options });
        else pending.get(id)?.reject(new BenchError('load generator is gone'));
      });
    },
  };
}

// ------------------------------------------------------------------------------------------- one target

async function sanityCheck(label, url, headers) {
  const response = await fetch(`${url}/oauth/token`, { method: 'POST', headers, body: settings.body, signal: AbortSignal.timeout(10_000) });
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

function checkPass(label, phase, r) {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.count2xx === 0) {
    fail(`${label} ${phase}: ${r.count2xx} 2xx, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors, ${r.timeouts} timeouts: the bench is invalid`);
  }
}

async function measure(name, ctx) {
  const target = TARGETS[name];
  console.log(`\n▶ ${target.label}: ${target.description}`);
  const { child: server, url } = await target.start(ctx);
  let loader = null;
  try {
    const affinity = allowedCpus(server.pid);
    const token = await sanityCheck(target.label, url, ctx.headers);
    loader = await startLoadClient();
    const loaderAffinity = allowedCpus(loader.child.pid);
    console.log(`  server pid ${server.pid} on cpus ${affinity}; load generator pid ${loader.child.pid} on cpus ${loaderAffinity}`);
    const pass = { url: `${url}/oauth/token`, headers: ctx.headers, body: settings.body, connections: settings.connections };

    process.stdout.write(`  warm-up ${settings.warmupSeconds} s … `);
    const warm = await loader.run({ ...pass, seconds: settings.warmupSeconds });
    checkPass(target.label, 'warm-up', warm);
    console.log(`${Math.round(warm.count2xx / warm.durationSeconds)} tokens/s`);

    process.stdout.write(`  measured ${settings.seconds} s … `);
    const before = cpuTicksOf(server.pid);
    const loaderBefore = cpuTicksOf(loader.child.pid);
    const coresBefore = coreTicks();
    const wallBefore = process.hrtime.bigint();
    const r = await loader.run({ ...pass, seconds: settings.seconds });
    const wallSeconds = Number(process.hrtime.bigint() - wallBefore) / 1e9;
    const after = cpuTicksOf(server.pid);
    const loaderAfter = cpuTicksOf(loader.child.pid);
    const coresAfter = coreTicks();
    checkPass(target.label, 'measured run', r);
    if (server.exitCode !== null) fail(`${target.label}: the server exited during the run`);

    const cpuTicks = after.total - before.total;
    const cpuSeconds = cpuTicks / machine.clkTck;
    // What else ran on the two cores meanwhile (other processes, the kernel, the hypervisor's steal):
    // on a shared machine this is what makes absolute figures move.
    const contention = {};
    for (const [role, core, ownTicks] of [
      ['serverCore', SERVER_CORE, cpuTicks],
      ['loadgenCore', LOADGEN_CORE, loaderAfter.total - loaderBefore.total],
    ]) {
      const use = pinning.pinned ? coreUse(coresBefore, coresAfter, core) : null;
      contention[role] = use && {
        core,
        otherShare: Math.max(0, use.busyTicks - ownTicks) / use.totalTicks,
        idleShare: use.idleTicks / use.totalTicks,
        stealShare: use.stealTicks / use.totalTicks,
      };
    }
    const figures = {
      tokensPerSecond: r.count2xx / r.durationSeconds,
      cpuMicrosPerToken: (cpuSeconds * 1e6) / r.count2xx,
      p50Ms: r.latencyMs.p50,
      p99Ms: r.latencyMs.p99,
      averageMs: r.latencyMs.average,
      maxMs: r.latencyMs.max,
      count2xx: r.count2xx,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      durationSeconds: r.durationSeconds,
      serverCpuTicks: cpuTicks,
      serverCpuTicksOfReapedChildren: after.reaped - before.reaped,
      serverCpuShare: cpuSeconds / wallSeconds,
      loadgenCpuShare: r.loadgenCpuShare,
      contention,
      serverAffinity: affinity,
      loadgenAffinity: loaderAffinity,
      token,
    };
    console.log(
      `${fmt(figures.tokensPerSecond, 0)} tokens/s, ${fmt(figures.cpuMicrosPerToken, 1)} µs CPU/token, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms` +
        ` (server ${pct(figures.serverCpuShare)} of a core, load generator ${pct(figures.loadgenCpuShare)})`,
    );
    const other = contention.serverCore;
    if (other) {
      console.log(`  core ${SERVER_CORE} meanwhile: ${pct(other.otherShare)} other processes, ${pct(other.stealShare)} stolen by the hypervisor, ${pct(other.idleShare)} idle`);
    }
    if (figures.serverCpuShare < 0.9) {
      const why = other && other.otherShare + other.stealShare > 0.05
        ? `other processes (${pct(other.otherShare)}) and steal (${pct(other.stealShare)}) took part of core ${SERVER_CORE}`
        : `the load generator (${pct(figures.loadgenCpuShare)} of its core) or the network stack held it back`;
      warn(`${target.label}: the server got only ${pct(figures.serverCpuShare)} of its core: ${why}. Tokens/s understates it, and CPU µs/token is inflated too when it shared the core`);
    }
    return figures;
  } finally {
    if (loader) {
      if (loader.child.connected) loader.child.send({ type: 'exit' });
      await stopChild(loader.child, 3000);
    }
    await stopChild(server);
  }
}

// ---------------------------------------------------------------------------------------------- output

function fmt(value, digits) {
  return value === undefined || value === null || Number.isNaN(value) ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(share) {
  return `${Math.round(share * 100)}%`;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row, r) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ') + (r === 0 ? `\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : '')).join('\n');
}

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of ratios; with an even count, the geometric mean of the middle two, so that the median of
 * 1/x is 1/(the median of x). */
function medianRatio(values) {
  const sorted = values.filter((v) => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : Math.sqrt(sorted[mid - 1] * sorted[mid]);
}

/** One line per target: the median over rounds of each figure (the figure itself with one round). */
function summarize(rounds) {
  const summary = {};
  for (const name of settings.targets) {
    const runs = rounds.map((round) => round[name]);
    const pick = (f) => median(runs.map(f));
    summary[name] = {
      tokensPerSecond: pick((x) => x.tokensPerSecond),
      cpuMicrosPerToken: pick((x) => x.cpuMicrosPerToken),
      p50Ms: pick((x) => x.p50Ms),
      p99Ms: pick((x) => x.p99Ms),
      serverCpuShare: pick((x) => x.serverCpuShare),
      loadgenCpuShare: pick((x) => x.loadgenCpuShare),
      serverCoreOtherShare: pick((x) => x.contention.serverCore?.otherShare),
      serverCoreStealShare: pick((x) => x.contention.serverCore?.stealShare),
      contendedPasses: runs.filter((x) => x.contended).length,
      non2xx: runs.reduce((sum, x) => sum + x.non2xx, 0),
      errors: runs.reduce((sum, x) => sum + x.errors, 0),
    };
  }
  return summary;
}

/** Latchkey against the limit and the peer, per round (so both sides of a ratio share the conditions), then the median. */
function ratios(rounds) {
  const out = {};
  const pairs = [
    ['latchkeyVsLimit', 'limit', AIM.throughputVsLimit],
    ['latchkeyVsPeer', 'peer', AIM.throughputVsPeer],
  ];
  for (const [key, other, aim] of pairs) {
    if (!settings.targets.includes('latchkey') || !settings.targets.includes(other)) continue;
    const throughput = rounds.map((round) => round.latchkey.tokensPerSecond / round[other].tokensPerSecond);
    const cpuPerToken = rounds.map((round) => round.latchkey.cpuMicrosPerToken / round[other].cpuMicrosPerToken);
    out[key] = {
      throughput: medianRatio(throughput),
      cpuPerToken: medianRatio(cpuPerToken),
      // What the throughput ratio would be with both servers given a full core each: CPU efficiency.
      throughputAtFullCore: 1 / medianRatio(cpuPerToken),
      perRound: { throughput, cpuPerToken },
      aimThroughput: aim,
      meetsAim: medianRatio(throughput) >= aim,
    };
  }
  return out;
}

function report(summary, r, roundCount) {
  const rows = [['target', 'tokens/s', 'CPU µs/token', 'p50 ms', 'p99 ms', 'server CPU', 'other on core 0', 'loadgen CPU']];
  for (const name of settings.targets) {
    const f = summary[name];
    rows.push([
      name,
      fmt(f.tokensPerSecond, 0),
      fmt(f.cpuMicrosPerToken, 1),
      fmt(f.p50Ms, 0),
      fmt(f.p99Ms, 0),
      pct(f.serverCpuShare),
      f.serverCoreOtherShare === null ? '–' : pct(f.serverCoreOtherShare + (f.serverCoreStealShare ?? 0)),
      pct(f.loadgenCpuShare),
    ]);
  }
  console.log(`\n${roundCount > 1 ? `medians of ${roundCount} rounds\n` : ''}${table(rows)}\n`);
  const contended = settings.targets.filter((name) => summary[name].contendedPasses > 0);
  if (contended.length) warn(`measured while other processes held more than ${pct(CONTENDED)} of core ${SERVER_CORE}, even after ${MAX_REPEATS} repeats: ${contended.join(', ')}; treat the figures with suspicion`);
  const describe = (x, aim, whose) =>
    `throughput ${fmt(x.throughput, 2)} (aim ≥ ${aim}: ${x.meetsAim ? 'met' : 'NOT met'});  CPU per token ${fmt(x.cpuPerToken, 2)}× ${whose} ` +
    `(throughput ratio at a full core each: ${fmt(x.throughputAtFullCore, 2)})`;
  if (r.latchkeyVsLimit) console.log(`latchkey / limit  ${describe(r.latchkeyVsLimit, AIM.throughputVsLimit, "the limit's")}`);
  if (r.latchkeyVsPeer) console.log(`latchkey / peer   ${describe(r.latchkeyVsPeer, AIM.throughputVsPeer, "the peer's")}`);
  if (!pinning.pinned) warn(`this run was UNPINNED: ${pinning.reason}`);
  console.log('\nAbsolute figures move with the machine; compare the ratios, which come from one run on one machine.');
}

/** Busy share (incl. steal) of the two bench cores over `ms`. */
async function busyShares(ms) {
  const before = coreTicks();
  await sleep(ms);
  const after = coreTicks();
  const busy = {};
  for (const core of [SERVER_CORE, LOADGEN_CORE]) {
    const use = coreUse(before, after, core);
    if (use) busy[core] = (use.busyTicks + use.stealTicks) / use.totalTicks;
  }
  return busy;
}

/** BENCH_WAIT_QUIET: before a target, wait (bounded) until nothing else keeps the two cores busy. */
async function waitQuiet() {
  if (!settings.waitQuietSeconds || !pinning.pinned) return;
  const deadline = Date.now() + settings.waitQuietSeconds * 1000;
  let busy = await busyShares(1000);
  let said = false;
  while (Object.values(busy).some((b) => b > 0.1) && Date.now() < deadline) {
    if (!said) process.stdout.write(`  waiting up to ${settings.waitQuietSeconds} s for the cores to go quiet (${Object.entries(busy).map(([c, b]) => `core ${c} ${pct(b)}`).join(', ')}) `);
    said = true;
    process.stdout.write('.');
    busy = await busyShares(1000);
  }
  if (said) console.log(Object.values(busy).some((b) => b > 0.1) ? ' still busy, going ahead' : ' quiet');
}

/** Warns when the cores are already busy before the bench starts (another build, tests, a browser …). */
async function preflight() {
  if (!pinning.pinned) return null;
  const busy = await busyShares(1000);
  for (const core of Object.keys(busy)) {
    if (busy[core] > 0.1) warn(`core ${core} was ${pct(busy[core])} busy before the bench started: other work on this machine will skew the figures; ratios within this run still compare like with like only as far as that load is steady`);
  }
  return busy;
}

async function main() {
  const startedAt = new Date();
  console.log(
    `Latchkey token bench: POST /oauth/token, ${settings.connections} connections, warm-up ${settings.warmupSeconds} s, ` +
      `measured ${settings.seconds} s per target${settings.rounds > 1 ? `, ${settings.rounds} rounds` : ''}`,
  );
  console.log(`node ${machine.node}, ${machine.cpuModel}, cpus ${machine.onlineCpus}, CLK_TCK ${machine.clkTck}`);
  console.log(pinning.pinned ? `servers on core ${SERVER_CORE}, load generator on core ${LOADGEN_CORE} (taskset)` : 'UNPINNED (see warning above)');
  const busyBefore = await preflight();

  const ctx = { latchkey: null, credentials: null, headers: null };
  if (settings.targets.includes('latchkey')) {
    ctx.latchkey = await provisionLatchkey();
    ctx.credentials = { clientId: ctx.latchkey.clientId, clientSecret: ctx.latchkey.clientSecret };
  } else {
    // Same shape and length as Latchkey's credentials.
    ctx.credentials = { clientId: `bench-dev-${randomBytes(6).toString('hex')}`, clientSecret: `lks_${randomBytes(37).toString('base64url').slice(0, 49)}` };
  }
  ctx.headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(ctx.credentials.clientId, ctx.credentials.clientSecret) };

  const rounds = [];
  for (let i = 0; i < settings.rounds; i++) {
    if (settings.rounds > 1) console.log(`\n═══ round ${i + 1} of ${settings.rounds}`);
    const round = {};
    // Each round starts with a different target, so that no target always runs first (or last).
    const order = settings.targets.map((_, j) => settings.targets[(i + j) % settings.targets.length]);
    for (const name of order) {
      // A pass during which other processes took a real part of the server's core says little about the
      // server: repeat it (bounded), and mark it if it stays contended.
      for (let attempt = 0; ; attempt++) {
        await waitQuiet();
        const figures = await measure(name, ctx);
        const other = figures.contention.serverCore;
        figures.contended = other ? other.otherShare + other.stealShare > CONTENDED : false;
        figures.attempt = attempt + 1;
        round[name] = figures;
        if (!figures.contended || attempt >= MAX_REPEATS) break;
        console.log(`  repeating ${name}: other processes held ${pct(other.otherShare + other.stealShare)} of core ${SERVER_CORE} (repeat ${attempt + 1} of ${MAX_REPEATS})`);
      }
    }
    rounds.push(round);
  }
  const summary = summarize(rounds);
  const r = ratios(rounds);
  report(summary, r, rounds.length);

  const file = join(BENCH_DIR, 'results', `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const { cpuProfDir, ...publicSettings } = settings;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { ...machine, coresBusyBeforeStart: busyBefore },
        pinning,
        settings: { ...publicSettings, cpuProfiled: cpuProfDir !== null, request: 'POST /oauth/token, client_secret_basic, application/x-www-form-urlencoded' },
        latchkeySource: latchkeySource(),
        versions: { oidcProvider: readPackageVersion('oidc-provider'), autocannon: readPackageVersion('autocannon'), fastify: readPackageVersion('fastify') },
        aims: AIM,
        summary,
        ratios: r,
        rounds,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`figures written to ${file.slice(ROOT.length + 1)}`);
}

main()
  .then(() => {
    removeTempDirs();
  })
  .catch(async (error) => {
    if (interrupted) return; // the signal handler is already stopping everything
    process.stderr.write(`\nbench FAILED: ${error instanceof BenchError ? error.message : error?.stack ?? error}\n`);
    await Promise.all([...children].map((c) => stopChild(c, 2000)));
    removeTempDirs();
    process.exitCode = 1;
  });
