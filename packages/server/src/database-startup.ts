import { resolve } from 'node:path';
import { ConfigError, defaultDatabaseUrl, type Config } from './config.js';
import { DatabaseUrlError, openDatabase, type SqlDatabase } from './storage/database.js';
import { codeOf, fileReason, StartupError, startupStep, type Explain } from './startup-error.js';

const URL_VARIABLE = 'LATCHKEY_DATABASE_URL';

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Only host, port, database and user are named: the URL may hold a password.
function postgresProblem(url: string, error: unknown): string | null {
  const parsed = new URL(url);
  const host = parsed.hostname || 'localhost';
  const where = `PostgreSQL at ${host}:${parsed.port || '5432'}`;
  const user = decodeURIComponent(parsed.username) || 'the default user';
  const database = decodeURIComponent(parsed.pathname.slice(1)) || user;
  const code = codeOf(error) ?? '';
  const message = messageOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${where} (connection refused); start it or fix the URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the PostgreSQL host ${host}; fix the host in the URL`;
    case '3D000':
      return `${where} has no database "${database}"; create it (createdb ${database}) or fix the URL`;
    case '28P01':
      return `${where} refused the password of user "${user}"; fix the user or password in the URL`;
    case '28000':
      return `${where} does not let user "${user}" in (${message}); fix the user in the URL, or the server's pg_hba.conf`;
    case '42501':
      return `user "${user}" may not create Latchkey's tables on ${where} (${message}); grant it CREATE on the database (or the schema), or use a user that has it`;
    case '57P03':
      return `${where} is starting up or shutting down; try again in a moment`;
    case '53300':
      return `${where} has no connection slots left; raise its max_connections or stop other clients`;
  }
  const network = NETWORK_REASONS[code];
  if (network !== undefined) return `cannot reach ${where} (${network}); check that it runs and that the network lets this machine through`;
  if (/does not support SSL/i.test(message)) return `${where} does not support SSL connections; drop sslmode from the URL, or enable SSL on the server`;
  if (/CERT|SELF_SIGNED/.test(code)) return `cannot verify the TLS certificate of ${where} (${message}); give the server a certificate this machine trusts, or fix sslmode in the URL`;
  return null;
}

function sqliteProblem(path: string, error: unknown): string | null {
  const file = resolve(path);
  const reason = fileReason(error);
  if (reason !== null) return `cannot create the SQLite database ${file} (${reason}); make its directory writable by the user running Latchkey, or use another path`;
  const code = codeOf(error) ?? '';
  if (code === 'SQLITE_CANTOPEN') return `cannot open the SQLite database ${file}; make it and its directory readable and writable by the user running Latchkey`;
  if (code.startsWith('SQLITE_READONLY')) return `the SQLite database ${file} is read-only for this user; make the file and its directory writable`;
  if (code === 'SQLITE_NOTADB') return `${file} is not a SQLite database; point at a Latchkey database, or at a file that does not exist yet`;
  if (code.startsWith('SQLITE_CORRUPT')) return `the SQLite database ${file} is damaged; restore it from a backup`;
  if (code === 'SQLITE_FULL') return `the disk holding ${file} is full; free some space`;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return `the SQLite database ${file} stayed locked by another process; try again, or stop what holds it`;
  if (code.startsWith('SQLITE_IOERR')) return `cannot read or write ${file} (disk I/O error, ${code}); check the disk`;
  return null;
}

/** Opening and migrating the database named by LATCHKEY_DATABASE_URL (or the default in LATCHKEY_DATA_DIR). */
export function databaseFailure(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Explain {
  const url = config.databaseUrl;
  const sqlite = url.startsWith('sqlite:');
  // The default database lives in the data directory: there is the variable to change.
  const variable = sqlite && url === defaultDatabaseUrl(config.dataDir) ? 'LATCHKEY_DATA_DIR' : URL_VARIABLE;
  return (error) => {
    if (error instanceof DatabaseUrlError) return new StartupError(URL_VARIABLE, `${error.message}; fix the URL`, { cause: error });
    // Kysely refuses a database holding a migration this version does not have: a newer one migrated it.
    const newer = /previously executed migration (\S+) is missing/.exec(messageOf(error));
    if (newer) {
      return new StartupError(
        variable,
        `the database was migrated by a newer Latchkey (it has migration ${newer[1]}, which this version does not know); run that version or a newer one, or restore a backup taken before the upgrade`,
        { cause: error },
      );
    }
    const problem = sqlite ? sqliteProblem(url.slice('sqlite:'.length), error) : postgresProblem(url, error);
    return problem === null ? null : new StartupError(variable, problem, { cause: error });
  };
}

/** Opens the configured database and applies pending migrations; a failure the operator can fix is a StartupError. */
/**
 * Opens the database and brings its schema up to date, or with LATCHKEY_MIGRATE=off (`migrate: 'off'`)
 * refuses one that is behind, naming what is missing.
 */
export async function openConfiguredDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'> & { readonly migrate?: Config['migrate'] }): Promise<{ database: SqlDatabase; applied: string[] }> {
  const explain = databaseFailure(config);
  const database = await startupStep(explain, () => openDatabase(config.databaseUrl));
  try {
    if (config.migrate === 'off') {
      const pending = await startupStep(explain, () => database.pending());
      if (pending.length > 0) {
        throw new ConfigError(`LATCHKEY_MIGRATE=off and the database lacks ${pending.length} migration(s) (${pending.join(', ')}): run \`latchkey migrate\` first`);
      }
      return { database, applied: [] };
    }
    return { database, applied: await startupStep(explain, () => database.migrate()) };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
