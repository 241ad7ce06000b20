import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from './support/test-server.js';

const execFileAsync = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
const env = { ...process.env, LATCHKEY_DATA_DIR: dataDir };
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function latchkey(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI_PATH, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the operator CLI', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('explains every command in --help', async () => {
    const { stdout } = await latchkey('--help');
    for (const command of ['serve', 'migrate', 'admin', 'keys', 'service', 'app', 'client']) expect(stdout).toContain(command);
    const client = await latchkey('client', 'create', '--help');
    expect(client.stdout).toContain('--service <key[:scope,scope]>');
    expect(client.stdout).toContain('Example:');
  });

  it('sets up a working client from the shell alone, printing one JSON document per command', async () => {
    const migrate = await latchkey('--json', 'migrate');
    expect(JSON.parse(migrate.stdout)).toEqual({ applied: expect.any(Array) });

    const service = await latchkey('--json', 'service', 'create', '--key', 'email', '--name', 'Email Service', '--scopes', 'email:send,email:read');
    expect(statSync(join(dataDir, 'server.key')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(service.stdout)).toMatchObject({ key: 'email', scopes: ['email:send', 'email:read'], audiences: { dev: 'urn:latchkey:service:email:dev' } });

    const app = await latchkey('--json', 'app', 'create', '--acronym', 'billing', '--name', 'Billing');
    expect(JSON.parse(app.stdout)).toMatchObject({ acronym: 'BILLING', status: 'approved' });

    const client = await latchkey('--json', 'client', 'create', '--app', 'BILLING', '--env', 'dev', '--service', 'email:email:send');
    const created = JSON.parse(client.stdout) as Record<string, unknown>;
    expect(created).toMatchObject({ client_id: expect.stringMatching(/^billing-dev-/), client_secret: expect.stringMatching(/^lks_/), grants: [{ service: 'email', scopes: ['email:send'] }] });

    const listed = JSON.parse((await latchkey('--json', 'client', 'list')).stdout) as { items: Record<string, unknown>[] };
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.client_secret as string);

    const keys = JSON.parse((await latchkey('--json', 'keys', 'list')).stdout) as { items: { state: string }[] };
    expect(keys.items.map((k) => k.state).sort()).toEqual(['current', 'next']);

    const admin = await latchkey('--json', 'admin', 'create', '--email', 'ops@example.org', '--password', 'a long enough password');
    expect(JSON.parse(admin.stdout)).toMatchObject({ email: 'ops@example.org', roles: ['admin', 'token_admin', 'pat'] });
  });

  it('fails with a message that says what to fix, and a JSON error document with --json', async () => {
    const missing = await latchkey('--json', 'client', 'create', '--app', 'NOPE', '--env', 'dev', '--service', 'email');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'not_found', message: 'no application with acronym NOPE' } });
    expect(missing.stderr).toContain('no application with acronym NOPE');

    const badEnv = await latchkey('client', 'create', '--app', 'BILLING', '--env', 'staging', '--service', 'email');
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('unknown environment "staging"; use one of dev, test, prod');

    const badScope = await latchkey('client', 'create', '--app', 'BILLING', '--env', 'test', '--service', 'email:email:delete');
    expect(badScope.stderr).toContain('defines no scope email:delete');

    const duplicate = await latchkey('client', 'create', '--app', 'BILLING', '--env', 'dev', '--service', 'email');
    expect(duplicate.stderr).toContain('application BILLING has a dev client already');
  });

  it('names the bad variable when the configuration is invalid', async () => {
    const { code, stderr } = await execFileAsync(process.execPath, [CLI_PATH, 'keys', 'list'], { env: { ...env, LATCHKEY_SIGNING_ALG: 'HS256' } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('LATCHKEY_SIGNING_ALG=HS256 is not valid');
  });

  it('accepts --json after the subcommand too, nested subcommands included', async () => {
    const service = await latchkey('service', 'create', '--key', 'docgen', '--name', 'Docgen', '--scopes', 'docgen:render', '--json');
    expect(JSON.parse(service.stdout)).toMatchObject({ key: 'docgen' });
    const app = await latchkey('app', '--json', 'create', '--acronym', 'PAYROLL');
    expect(JSON.parse(app.stdout)).toMatchObject({ acronym: 'PAYROLL' });

    const client = await latchkey('client', 'create', '--app', 'PAYROLL', '--json', '--env', 'dev', '--service', 'docgen');
    expect(client.code).toBe(0);
    expect(JSON.parse(client.stdout)).toMatchObject({ client_id: expect.stringMatching(/^payroll-dev-/), client_secret: expect.stringMatching(/^lks_/) });

    const listed = await latchkey('client', 'list', '--app', 'PAYROLL', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject({ items: [{ application: 'PAYROLL', env: 'dev' }] });

    const rotated = await latchkey('keys', 'rotate', '--now', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ kid: expect.any(String), revoked_kid: expect.any(String) });
  });

  it('reports a usage error as one JSON document on stdout with --json, and exits 1', async () => {
    const cases: [string[], string][] = [
      [['client', 'list', '--bogus', '--json'], "unknown option '--bogus'"],
      [['--json', 'bogus'], "unknown command 'bogus'"],
      [['client', 'create', '--json', '--app', 'PAYROLL', '--service', 'docgen'], "required option '--env <env>' not specified"],
      [['client', 'rotate-secret', '--json'], "missing required argument 'client_id'"],
      [['client', 'create', '--app', '--json'], "option '--app <acronym>' argument missing"],
      [['client', '--json'], 'missing command'],
    ];
    for (const [args, message] of cases) {
      const failed = await latchkey(...args);
      expect(failed.code, args.join(' ')).toBe(1);
      expect(JSON.parse(failed.stdout), args.join(' ')).toEqual({ error: { code: 'usage', message: expect.stringContaining(message) } });
      expect(failed.stderr).not.toBe('');
    }
    const human = await latchkey('client', 'list', '--bogus');
    expect(human).toMatchObject({ code: 1, stdout: '' });
    expect(human.stderr).toContain("unknown option '--bogus'");
  });

  it('prints its version: the package version, or {"version"} with --json wherever it stands', async () => {
    expect(await latchkey('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(await latchkey('-V')).toMatchObject({ code: 0, stdout: `${version}\n` });
    for (const args of [['--version', '--json'], ['--json', '--version']]) {
      const shown = await latchkey(...args);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toEqual({ version });
    }
  });

  it('exits 1 with one line naming the variable when the database cannot be opened, no stack trace', async () => {
    // A directory where the database file should be. (Exit 2 with the stack, for failures nothing
    // anticipates, is covered by startup-error.test.ts.)
    const { code, stdout, stderr } = await execFileAsync(process.execPath, [CLI_PATH, '--json', 'keys', 'list'], {
      env: { ...env, LATCHKEY_DATABASE_URL: `sqlite:${dataDir}` },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'startup_failed', message: expect.stringContaining('LATCHKEY_DATABASE_URL') } });
    expect(stderr).not.toContain('    at ');
  });
});
