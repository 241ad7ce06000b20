import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { createOutput, reportFailure, type Output } from './output.js';

export function configFromEnv(level: string): Config {
  const warnings: string[] = [];
  const config = loadConfig(process.env, (m) => warnings.push(m));
  const log = createLogger(level, 2);
  for (const w of warnings) log.warn(w);
  return config;
}

/** Runs one command against the configured database, then closes it; maps failures to exit codes. */
export function action<A extends unknown[]>(
  program: Command,
  run: (runtime: Runtime, out: Output, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const json = program.opts<{ json?: boolean }>().json === true;
    let runtime: Runtime | null = null;
    try {
      const config = configFromEnv('warn');
      runtime = await openRuntime(config, createLogger(config.logLevel ?? 'warn', 2), { background: false });
      await run(runtime, createOutput(json), ...args);
    } catch (error) {
      process.exitCode = reportFailure(error, json);
    } finally {
      await runtime?.close();
    }
  };
}

