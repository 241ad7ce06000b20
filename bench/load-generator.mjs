// The parent's side of the load generator: starts bench/load-client.mjs pinned to its own core and runs
// passes in it over the IPC channel (autocannon, or the open-loop sender), each bounded in time, and fills
// its pools of per-request values.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BenchError } from './bench-error.mjs';
import { track } from './child-processes.mjs';
import { LOADGEN_CORE, onCore } from './pinning.mjs';
import { BENCH_DIR, ROOT } from './servers.mjs';

/**
 * One pass, as load-client.mjs reports it. `distinctVariants`: how many different pool values it sent;
 * `wrappedVariants`: how many requests of a `sequence` reused a value (the pool was too small).
 * @typedef {{
 *   durationSeconds: number, requestsSent: number, completed: number, count2xx: number, non2xx: number,
 *   errors: number, timeouts: number, resets: number, statusCodeStats: Record<string, unknown>,
 *   latencyHistogram: Array<[number, number]>, autocannonLatencyMs: Record<string, number>, loadgenCpuShare: number,
 *   distinctVariants: number, wrappedVariants: number,
 * }} PassResult
 */

/**
 * Which pool value each request gets, and where it goes: the Authorization header, or the whole body.
 * @typedef {{ pool: string, field: 'authorization' | 'body', prefix: string, spread: import('./variants.mjs').Spread }} Variants
 */

/**
 * `rate` (requests per second) makes the pass open-loop; `variants` makes each request differ.
 * @typedef {{ url: string, headers: Record<string, string>, body: string, connections: number, seconds: number, rate?: number, variants?: Variants }} PassOptions
 */

/**
 * A pool filled from the server's answers (`collect`: the `field` of `count` answers to one request) or
 * from a file (`load`: one value a line).
 * @typedef {{ type: 'collect', name: string, url: string, headers: Record<string, string>, body: string, count: number, field: string, concurrency: number }
 *   | { type: 'load', name: string, file: string }} PoolFill
 */

/**
 * @typedef {{
 *   child: import('node:child_process').ChildProcess,
 *   run: (options: PassOptions) => Promise<PassResult>,
 *   fill: (pool: PoolFill) => Promise<{ size: number }>,
 * }} LoadGenerator
 */

/**
 * @param {import('./pinning.mjs').Pinning} pinning
 * @returns {Promise<LoadGenerator>}
 */
export async function startLoadGenerator(pinning) {
  const [command, args] = onCore(pinning, LOADGEN_CORE, process.execPath, [join(BENCH_DIR, 'load-client.mjs')]);
  const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  // A send racing the child's exit (Ctrl-C) is reported through the pending run, not as a crash.
  child.on('error', () => undefined);
  let nextId = 0;
  /** @type {Map<number, { done: (r: never) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  child.on('message', (/** @type {{ id?: number, type?: string, result?: never, message?: string }} */ message) => {
    const waiter = message?.id === undefined ? undefined : pending.get(message.id);
    if (!waiter || message.id === undefined) return;
    pending.delete(message.id);
    if (message.type === 'result' && message.result) waiter.done(message.result);
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
      done(undefined);
    });
    child.once('exit', () => reject(new BenchError('load generator exited at startup')));
  });
  /**
   * One request to the load generator, bounded in time, then the bench gives up.
   * @template T
   * @param {Record<string, unknown> & { type: string }} message
   * @param {number} seconds
   * @param {string} what
   * @returns {Promise<T>}
   */
  const call = (message, seconds, what) => {
    const id = ++nextId;
    return new Promise((done, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new BenchError(`${what} did not finish within ${seconds} s`));
      }, seconds * 1000);
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
      if (child.connected) child.send({ ...message, id });
      else pending.get(id)?.reject(new BenchError('load generator is gone'));
    });
  };
  return {
    child,
    /** One pass: its duration plus 30 s at most. */
    run: (options) => call({ type: 'run', ...options }, options.seconds + 30, 'load pass'),
    /** Five minutes: a million Authorization headers are read in seconds, a pool of tokens issued in tens. */
    fill: (pool) => call(pool, 300, `filling pool ${pool.name}`),
  };
}
