import type { Config } from './config.js';
import { isDomainError } from './domain/errors.js';
import { UnknownServerKeyError } from './domain/secrets/server-key.js';
import { SERVER_KEY_FILE } from './server-key-file.js';

/**
 * A start-up failure the operator can fix: the message names the variable and says what to do, and the
 * CLI prints it as one line and exits 1. Anything not recognised as such stays as thrown: a bug or an
 * outage, printed with its stack and exit code 2.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly variable: string;
  constructor(variable: string, problem: string, options?: { cause?: unknown }) {
    super(`${variable}: ${problem}`, options);
    this.variable = variable;
  }
}

/** Turns a failure the operator can fix into a StartupError; null when it is not one. */
export type Explain = (error: unknown) => StartupError | null;

/** Runs one start-up step, explaining its failure when `explain` recognises it. */
export async function startupStep<T>(explain: Explain, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw explain(error) ?? error;
  }
}

/** The errno or SQLSTATE code of a failure, if it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// What the file-system errors an operator can fix mean, in words.
const FILE_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'part of the path is a file, not a directory',
  EEXIST: 'a file is in the way',
  EISDIR: 'a directory is in the way',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** "permission denied at /var/lib/latchkey", or null when `error` is not a file-system error we explain. */
export function fileReason(error: unknown): string | null {
  const reason = FILE_REASONS[codeOf(error) ?? ''];
  if (reason === undefined) return null;
  const path = (error as { path?: unknown }).path;
  return typeof path === 'string' ? `${reason} at ${path}` : reason;
}

/** Creating the data directory and the server key file in it. */
export function dataDirFailure(config: Pick<Config, 'dataDir'>): Explain {
  return (error) => {
    const reason = fileReason(error);
    if (reason === null) return null;
    return new StartupError(
      'LATCHKEY_DATA_DIR',
      `cannot create or write the data directory ${config.dataDir} (${reason}); make it writable by the user running Latchkey, or point LATCHKEY_DATA_DIR elsewhere`,
      { cause: error },
    );
  };
}

/** Listening on LATCHKEY_HOST:LATCHKEY_PORT. */
export function listenFailure(config: Pick<Config, 'host' | 'port'>): Explain {
  const where = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  return (error) => {
    switch (codeOf(error)) {
      case 'EADDRINUSE':
        return new StartupError('LATCHKEY_PORT', `${where} is already in use (another Latchkey, or another program, listens there); stop it or choose another port`, { cause: error });
      case 'EACCES':
        return new StartupError('LATCHKEY_PORT', `not allowed to listen on ${where} (permission denied: ports below 1024 need privileges); choose a port from 1024 up, or grant the capability (CAP_NET_BIND_SERVICE)`, { cause: error });
      case 'EADDRNOTAVAIL':
        return new StartupError('LATCHKEY_HOST', `${config.host} is not an address of this machine; use one of its addresses, 127.0.0.1, or 0.0.0.0 for all of them`, { cause: error });
      case 'EAFNOSUPPORT':
        return new StartupError('LATCHKEY_HOST', `this machine does not support the address family of ${config.host} (IPv6 disabled?); use an IPv4 address`, { cause: error });
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_NONAME':
        return new StartupError('LATCHKEY_HOST', `cannot resolve the host name ${config.host}; use an IP address, or a name this machine resolves`, { cause: error });
      default:
        return null;
    }
  };
}

/** Decrypting the signing keys with the server key(s). */
export function serverKeyFailure(config: Pick<Config, 'secret' | 'dataDir'>): Explain {
  return (error) => {
    if (!(error instanceof UnknownServerKeyError)) return null;
    const problem = `the database's signing keys are encrypted under server key ${error.keyId}, which this process does not have`;
    return config.secret !== null
      ? new StartupError('LATCHKEY_SECRET', `${problem}; set LATCHKEY_SECRET to the key(s) this database was used with (to rotate, put the new key first and keep the old one after it)`, { cause: error })
      : new StartupError(
          'LATCHKEY_SECRET',
          `${problem} (${config.dataDir}/${SERVER_KEY_FILE} holds another one); restore that file from a backup, or set LATCHKEY_SECRET to the key(s) this database was used with`,
          { cause: error },
        );
  };
}

/** Creating the administrator from LATCHKEY_ADMIN_EMAIL and LATCHKEY_ADMIN_PASSWORD. */
export function adminFailure(): Explain {
  return (error) => {
    if (!isDomainError(error) || error.code !== 'bad_request') return null;
    const variable = error.fields.some((f) => f.field === 'email') ? 'LATCHKEY_ADMIN_EMAIL' : 'LATCHKEY_ADMIN_PASSWORD';
    return new StartupError(variable, `cannot create the administrator (${error.message}); fix the value, or unset both variables`, { cause: error });
  };
}
