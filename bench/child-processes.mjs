// The processes the bench starts: every one is tracked, so that none outlives the bench (normal exit,
// uncaught error or signal), and their output is forwarded with a prefix.
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fail } from './bench-error.mjs';

export const HOST = '127.0.0.1';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
let interrupted = false;

/**
 * @param {import('node:child_process').ChildProcess} child
 * @returns {import('node:child_process').ChildProcess}
 */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** @param {string} dir a temporary directory to remove when the bench ends */
export function trackTempDir(dir) {
  tempDirs.add(dir);
}

export function removeTempDirs() {
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

/** Whether a signal is already stopping everything (the bench then reports no failure of its own). */
export function wasInterrupted() {
  return interrupted;
}

/** @param {import('node:child_process').ChildProcess} child */
function running(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** @param {NodeJS.Signals} signal */
function killAll(signal) {
  for (const child of children) {
    if (!running(child)) continue;
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Last resort on exit and on SIGINT, SIGTERM, SIGHUP: stop every child and remove the temporary directories. */
export function installCleanup() {
  process.on('exit', () => {
    killAll('SIGKILL');
    removeTempDirs();
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      process.exitCode = 130;
      process.stderr.write(`\n${signal}: stopping every server this bench started\n`);
      killAll('SIGTERM');
      setTimeout(() => process.exit(130), 1500).unref();
      // Exit as soon as every child is gone.
      setInterval(() => {
        if (![...children].some(running)) process.exit(130);
      }, 50).unref();
    });
  }
}

/**
 * Sends SIGTERM, waits (bounded) for the exit, then SIGKILL. A graceful exit is what lets
 * `node --cpu-prof` write its profile.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopChild(child, graceMs = 5000) {
  if (!running(child)) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running. */
export async function stopAll() {
  await Promise.all([...children].map((child) => stopChild(child, 2000)));
}

/**
 * Forwards a child's output, prefixed with its label, and resolves on the first stdout line matching
 * `readyLine` (which is not forwarded).
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} label
 * @param {RegExp | null} readyLine
 * @returns {Promise<string>}
 */
export function pipeOutput(child, label, readyLine) {
  /** @type {(line: string) => void} */
  let resolveReady = () => undefined;
  /** @type {Promise<string>} */
  const ready = new Promise((done) => {
    resolveReady = done;
  });
  /**
   * @param {import('node:stream').Readable | null} stream
   * @param {NodeJS.WriteStream} target
   */
  const forward = (stream, target) => {
    if (!stream) return;
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (/** @type {string} */ chunk) => {
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

/** @param {number} ms */
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Polls `attempt` until it returns true; fails when the child exits first or the time runs out.
 * @param {string} what
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} timeoutMs
 * @param {() => Promise<boolean>} attempt
 */
export async function waitFor(what, child, timeoutMs, attempt) {
  const deadline = Date.now() + timeoutMs;
  /** @type {Promise<{ exited: { code: number | null, signal: string | null } }>} */
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ exited: { code, signal } })));
  /** @type {Error | null} */
  let lastError = null;
  while (Date.now() < deadline) {
    /** @type {{ ok?: boolean, error?: Error, exited?: { code: number | null, signal: string | null } }} */
    const outcome = await Promise.race([attempt().then((ok) => ({ ok }), (error) => ({ ok: false, error })), exited]);
    if (outcome.exited) fail(`${what}: the process exited (code ${outcome.exited.code}, signal ${outcome.exited.signal}) before it was ready`);
    if (outcome.ok) return;
    lastError = outcome.error ?? lastError;
    await sleep(100);
  }
  fail(`${what}: not ready within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`);
}

/** @returns {Promise<number>} a port free on the loopback address right now */
export function freePort() {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
