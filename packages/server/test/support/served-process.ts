import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH, freePort } from './test-server.js';

/** A `latchkey serve` running as a process of its own, as an operator starts it. */
export interface ServedProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Kills it if it still runs and removes its data directory (unless shared). */
  dispose(): Promise<void>;
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts `node dist/cli/main.js serve` and waits until /readyz answers 200. `port` and `dataDir` may be
 * given to restart an instance where it was; a given data directory is not removed on dispose.
 */
export async function spawnServe(extra: Record<string, string> = {}, options: { port?: number; dataDir?: string } = {}): Promise<ServedProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-serve-'));
  const port = options.port ?? (await freePort());
  const env = { ...process.env, LATCHKEY_DATA_DIR: join(dataDir, 'data'), LATCHKEY_PORT: String(port), ...extra };
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const served: ServedProcess = {
    url,
    port,
    child,
    dataDir,
    env,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited(child);
    },
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // Generous: worker processes load the whole server, and CI runs other suites beside this one.
  const deadline = Date.now() + 40_000;
  for (;;) {
    const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (up) return served;
    if (child.exitCode !== null || Date.now() > deadline) {
      await served.dispose();
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
