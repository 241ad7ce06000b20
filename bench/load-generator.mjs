// The parent's side of the load generator: starts bench/load-client.mjs pinned to its own core and runs
// autocannon passes in it over the IPC channel, each bounded in time.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BenchError } from './bench-error.mjs';
import { track } from './child-processes.mjs';
import { LOADGEN_CORE, onCore } from './pinning.mjs';
import { BENCH_DIR, ROOT } from './servers.mjs';

/**
 * One autocannon pass, as load-client.mjs reports it.
 * @typedef {{
 *   durationSeconds: number, requestsSent: number, completed: number, count2xx: number, non2xx: number,
 *   errors: number, timeouts: number, resets: number, statusCodeStats: Record<string, unknown>,
 *   latencyHistogram: Array<[number, number]>, autocannonLatencyMs: Record<string, number>, loadgenCpuShare: number,
 * }} PassResult
 */

/** @typedef {{ url: string, headers: Record<string, string>, body: string, connections: number, seconds: number }} PassOptions */

/** @typedef {{ child: import('node:child_process').ChildProcess, run: (options: PassOptions) => Promise<PassResult> }} LoadGenerator */

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
  /** @type {Map<number, { done: (r: PassResult) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  child.on('message', (/** @type {{ id?: number, type?: string, result?: PassResult, message?: string }} */ message) => {
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
