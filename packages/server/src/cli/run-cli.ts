import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { reportFailure, reportUsageError } from './output.js';

/**
 * Runs the CLI on `argv` (node, script, arguments). Commands set `process.exitCode` themselves; this turns
 * what commander throws (a usage error, --help) and anything else that escapes into exit codes:
 * 0 success, 1 a usage, user or configuration error with a message, 2 an unexpected failure.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander reads the program's options, wherever they stand, before any subcommand can fail.
    const json = program.opts<{ json?: boolean }>().json === true;
    if (!(error instanceof CommanderError)) {
      process.exitCode = reportFailure(error, json);
    } else if (error.exitCode !== 0) {
      process.exitCode = reportUsageError(error, json);
    }
  }
}
