import { Command, CommanderError, Option } from 'commander';
import { createLogger } from '../logger.js';
import { openConfiguredDatabase } from '../database-startup.js';
import { configFromEnv } from './command-action.js';
import { createOutput, reportFailure } from './output.js';
import { registerCatalogCommands } from './catalog-commands.js';
import { registerClientCommands } from './client-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { registerLockoutCommands } from './lockout-commands.js';
import { registerUserCommands } from './user-commands.js';
import { registerMailCommands } from './mail-commands.js';

/** The code of the CommanderError that `--version` throws to stop the parse; runCli prints the version. */
export const VERSION_REQUESTED = 'latchkey.version';

export function buildProgram(): Command {
  // Positional options stay off (commander's default), so these program options are recognised before
  // or after the subcommand: `latchkey client list --json` is what people type.
  const program = new Command('latchkey')
    .description('Latchkey: developer portal and OAuth 2.0 token server.\nConfiguration comes from LATCHKEY_* environment variables (see the README).')
    .addOption(new Option('--json', 'print exactly one JSON document on stdout, errors included (logs go to stderr); before or after the command'))
    .addOption(new Option('-V, --version', 'print the version of latchkey (with --json: {"version": …})'))
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors are thrown to runCli rather than exiting, so that --json can report them too. Set before
    // the subcommands are added: each copies it when it is created.
    .exitOverride();
  // Not commander's own .version(): it prints at once, before a --json later in the line has been read.
  program.on('option:version', () => {
    throw new CommanderError(0, VERSION_REQUESTED, '--version');
  });

  program
    .command('serve')
    .description('serve the portal and token server (LATCHKEY_HOST:LATCHKEY_PORT, default 127.0.0.1:8080); SIGTERM drains for LATCHKEY_DRAIN_SECONDS, Ctrl-C stops at once')
    .action(async () => {
      try {
        const config = configFromEnv('info');
        // Loaded here, not at the top: the HTTP stack is half of the CLI's start-up time and only `serve` needs it.
        const { serve } = await import('../serve.js');
        await serve(config, createLogger(config.logLevel ?? 'info', 1));
      } catch (error) {
        process.exitCode = reportFailure(error, program.opts<{ json?: boolean }>().json === true);
      }
    });

  program
    .command('migrate')
    .description('apply pending database migrations (serve does this on start unless LATCHKEY_MIGRATE=off)')
    .action(async () => {
      const json = program.opts<{ json?: boolean }>().json === true;
      try {
        const config = configFromEnv('warn');
        const { database, applied } = await openConfiguredDatabase({ ...config, migrate: 'auto' });
        try {
          createOutput(json).result({ applied }, applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
        } finally {
          await database.close();
        }
      } catch (error) {
        process.exitCode = reportFailure(error, json);
      }
    });

  registerCatalogCommands(program);
  registerClientCommands(program);
  registerKeyCommands(program);
  registerLockoutCommands(program);
  registerUserCommands(program);
  registerMailCommands(program);
  return program;
}
