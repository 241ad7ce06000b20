import type { CommanderError } from 'commander';
import { isDomainError } from '../domain/errors.js';
import { ConfigError } from '../config.js';
import { StartupError } from '../startup-error.js';

export interface Output {
  readonly json: boolean;
  /** The command's result: one JSON document with --json, else the human text. */
  result(document: unknown, human: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(document, human) {
      process.stdout.write(json ? `${JSON.stringify(document, null, 2)}\n` : `${human}\n`);
    },
  };
}

/** The code of a failure the operator can act on (the message says how), or null for an unexpected one. */
function knownCode(error: unknown): string | null {
  if (isDomainError(error)) return error.code;
  if (error instanceof ConfigError) return 'invalid_configuration';
  if (error instanceof StartupError) return 'startup_failed';
  return null;
}

/**
 * Prints a failure (the JSON document on stdout with --json, a sentence on stderr either way) and returns
 * the exit code: 1 for a failure the message tells how to fix, 2 for an unexpected one.
 */
export function reportFailure(error: unknown, json: boolean): number {
  const known = knownCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (json) writeErrorDocument(known ?? 'internal', message);
  process.stderr.write(`latchkey: ${message}\n`);
  // An unexpected failure is a bug or an outage: the operator's terminal gets the whole story.
  if (known === null && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return known === null ? 2 : 1;
}

/**
 * Reports a usage error (unknown command or option, missing argument or option) and returns exit code 1.
 * Commander has written it on stderr already, with the hint to --help; with --json it is also the one
 * document on stdout, so a script never has to parse commander's prose.
 */
export function reportUsageError(error: CommanderError, json: boolean): number {
  // `help({ error: true })` (a command group run without its subcommand) carries no message of its own.
  const message = error.code === 'commander.help' ? 'missing command: the usage on stderr lists them' : error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  if (json) writeErrorDocument('usage', message);
  return 1;
}

function writeErrorDocument(code: string, message: string): void {
  process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A fixed-width text table for human output. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
