import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, probePostgres } from './support/databases.js';
import { CLI_PATH, freePort } from './support/test-server.js';

const postgresDown = (await probePostgres()) !== null && process.env.CI !== 'true';
const isRoot = process.getuid?.() === 0;

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-startup-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const newSecret = (): string => randomBytes(32).toString('base64url');

/** Runs `latchkey <args>` as a child process with these LATCHKEY_* variables, until it exits. */
async function latchkey(args: readonly string[], env: Record<string, string>): Promise<Exited> {
  const dataDir = env.LATCHKEY_DATA_DIR ?? join(scratch(), 'data');
  const port = env.LATCHKEY_PORT ?? String(await freePort());
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...process.env, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PORT: port, LATCHKEY_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const serve = (env: Record<string, string>): Promise<Exited> => latchkey(['serve'], env);

/** Exit code 1 and exactly one line on stderr, naming the variable, with no stack trace. */
function expectOneLine(exited: Exited, line: RegExp): void {
  expect(exited.stderr.split('\n').filter((l) => l !== ''), exited.stderr).toHaveLength(1);
  expect(exited.stderr).toMatch(line);
  expect(exited.stderr).not.toMatch(/^\s+at /m);
  expect(exited.code).toBe(1);
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
    cleanups.push(() => server.close());
  });
}

describe('latchkey serve refuses to start with one line naming the variable, and exit code 1', () => {
  it('when PostgreSQL does not answer', async () => {
    const port = await freePort();
    const exited = await serve({ LATCHKEY_DATABASE_URL: `postgres://postgres:not-shown@127.0.0.1:${port}/test` });
    expectOneLine(exited, new RegExp(`^latchkey: LATCHKEY_DATABASE_URL: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection refused\\); start it or fix the URL\\n$`));
    expect(exited.stderr + exited.stdout).not.toContain('not-shown');
  });

  it.skipIf(postgresDown)('when the PostgreSQL database does not exist', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/latchkey_missing_${randomBytes(4).toString('hex')}`;
    const exited = await serve({ LATCHKEY_DATABASE_URL: url.toString() });
    expectOneLine(exited, /^latchkey: LATCHKEY_DATABASE_URL: PostgreSQL at [^ ]+ has no database "latchkey_missing_[0-9a-f]+"; create it \(createdb latchkey_missing_[0-9a-f]+\) or fix the URL\n$/);
  });

  it('when the port is in use, with one process or several workers', { timeout: 60_000 }, async () => {
    const port = await freePort();
    await occupy(port);
    const line = new RegExp(`^latchkey: LATCHKEY_PORT: 127\\.0\\.0\\.1:${port} is already in use .*; stop it or choose another port\\n$`);
    expectOneLine(await serve({ LATCHKEY_PORT: String(port) }), line);
    expectOneLine(await serve({ LATCHKEY_PORT: String(port), LATCHKEY_WORKERS: '2' }), line);
  });

  it('when the data directory cannot be created', async () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    const exited = await serve({ LATCHKEY_DATA_DIR: join(file, 'data') });
    expectOneLine(exited, /^latchkey: LATCHKEY_DATA_DIR: cannot create or write the data directory .*a-file\/data \(part of the path is a file, not a directory.*\); make it writable by the user running Latchkey, or point LATCHKEY_DATA_DIR elsewhere\n$/);
  });

  it.skipIf(isRoot)('when the data directory is not writable (permission denied)', async () => {
    const dir = join(scratch(), 'locked');
    mkdirSync(dir, { mode: 0o500 });
    cleanups.unshift(() => chmodSync(dir, 0o700));
    expectOneLine(await serve({ LATCHKEY_DATA_DIR: dir }), /^latchkey: LATCHKEY_DATA_DIR: cannot create or write the data directory .*\(permission denied/);
  });

  it('when the SQLite file is not a database', async () => {
    const file = join(scratch(), 'notes.txt');
    writeFileSync(file, 'not a database, just some text that is long enough to fill a header page'.repeat(4));
    const exited = await serve({ LATCHKEY_DATABASE_URL: `sqlite:${file}` });
    expectOneLine(exited, /^latchkey: LATCHKEY_DATABASE_URL: .*notes\.txt is not a SQLite database; point at a Latchkey database, or at a file that does not exist yet\n$/);
  });

  it('when a newer Latchkey migrated the database', async () => {
    const dataDir = join(scratch(), 'data');
    expect((await latchkey(['migrate'], { LATCHKEY_DATA_DIR: dataDir })).code).toBe(0);
    const db = new BetterSqlite3(join(dataDir, 'latchkey.db'));
    db.prepare('insert into schema_migrations (name, timestamp) values (?, ?)').run('9999_from_the_future', new Date().toISOString());
    db.close();
    expectOneLine(await serve({ LATCHKEY_DATA_DIR: dataDir }), /^latchkey: LATCHKEY_DATA_DIR: the database was migrated by a newer Latchkey \(it has migration 9999_from_the_future, which this version does not know\); run that version or a newer one, or restore a backup/);
  });

  it('when the server key is not the one the database was used with', async () => {
    const dataDir = join(scratch(), 'data');
    expect((await latchkey(['keys', 'list'], { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_SECRET: newSecret() })).code).toBe(0);
    const exited = await serve({ LATCHKEY_DATA_DIR: dataDir, LATCHKEY_SECRET: newSecret() });
    expectOneLine(exited, /^latchkey: LATCHKEY_SECRET: the database's signing keys are encrypted under server key \w+, which this process does not have; set LATCHKEY_SECRET to the key\(s\) this database was used with/);
  });

  it('when the administrator to create has an unusable password', async () => {
    const exited = await serve({ LATCHKEY_ADMIN_EMAIL: 'ops@example.org', LATCHKEY_ADMIN_PASSWORD: 'too short' });
    expectOneLine(exited, /^latchkey: LATCHKEY_ADMIN_PASSWORD: cannot create the administrator \(password: a password needs at least 12 characters\); fix the value, or unset both variables\n$/);
  });
});

describe('the other commands that open the database', () => {
  it.each(['migrate', 'keys list', 'client list'])('`latchkey %s` fails alike, and with --json as one JSON document', async (command) => {
    const args = command.split(' ');
    const port = await freePort();
    const env = { LATCHKEY_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` };
    const line = new RegExp(`^latchkey: LATCHKEY_DATABASE_URL: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection refused\\)`);
    expectOneLine(await latchkey(args, env), line);
    const json = await latchkey(['--json', ...args], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'startup_failed', message: expect.stringMatching(/^LATCHKEY_DATABASE_URL: cannot reach PostgreSQL/) } });
  });
});
