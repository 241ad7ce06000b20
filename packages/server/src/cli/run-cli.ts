import { CommanderError } from 'commander';
import { buildProgram, VERSION_REQUESTED } from './program.js';
import { createOutput, reportFailure, reportUsageError } from './output.js';
import { latchkeyVersion } from './version.js';

/**
 * Whether `--json` was given: anywhere before a `--`, which is where commander looks for a program option
 * when positional options are off. Read from the raw arguments because `--version` stops the parse the
 * moment commander meets it, before it reaches a `--json` further on.
 */
function jsonRequested(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/**
 * Runs the CLI on `argv` (node, script, arguments). Commands set `process.exitCode` themselves; this turns
 * what commander throws (a usage error, --help, --version) and anything else that escapes into exit codes:
 * 0 success, 1 a usage, user or configuration error with a message, 2 an unexpected failure.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const json = jsonRequested(argv.slice(2));
    if (!(error instanceof CommanderError)) {
      process.exitCode = reportFailure(error, json);
    } else if (error.code === VERSION_REQUESTED) {
      const version = latchkeyVersion();
      createOutput(json).result({ version }, version);
    } else if (error.exitCode !== 0) {
      process.exitCode = reportUsageError(error, json);
    }
  }
}
