import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { exited } from './support/served-process.js';
import { freePort } from './support/test-server.js';

// No container engine runs on this machine: what can be checked of the packaging without one is checked
// here. The image's start command must serve with the image's environment, and every variable the compose
// file and the systemd unit set must be one Latchkey accepts.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The final stage's ENV pairs and CMD of the Dockerfile. */
function imageOf(dockerfile: string): { env: Record<string, string>; cmd: string[]; healthcheck: string[] } {
  const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const block of final.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of (block[1] ?? '').replaceAll('\\\n', ' ').trim().split(/\s+/)) {
      const [key, value] = pair.split('=');
      if (key && value !== undefined) env[key] = value;
    }
  }
  const json = (pattern: RegExp): string[] => JSON.parse(pattern.exec(final)?.[1] ?? '[]') as string[];
  return { env, cmd: json(/^CMD (\[.*\])$/m), healthcheck: json(/^\s+CMD (\[.*\])$/m) };
}

/** `KEY: value` lines naming LATCHKEY_ variables, with compose's `${VAR:-default}` / `${VAR:?message}` filled in. */
function composeVariables(text: string): Record<string, string>[] {
  const fill = (value: string): string =>
    value
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{LATCHKEY_SECRET:\?[^}]*\}/g, 'c2VydmVyLWtleS1mb3ItdGVzdHMtMzItYnl0ZXMtbG9uZw')
      .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
  const blocks = text.split(/\n(?=\S)|\n {2}(?=[a-z])/);
  return blocks
    .map((block) => Object.fromEntries([...block.matchAll(/^\s+(LATCHKEY_[A-Z_]+):\s*(.+)$/gm)].map((m) => [m[1] ?? '', fill(m[2] ?? '')])))
    .filter((vars) => Object.keys(vars).length > 0);
}

describe('the packaging', () => {
  it("the image's start command serves with the image's environment, answers its health check, and stops on SIGTERM", { timeout: 60_000 }, async () => {
    const image = imageOf(read('Dockerfile'));
    expect(image.cmd).toEqual(['node', 'packages/server/dist/cli/main.js', 'serve']);
    expect(image.env).toMatchObject({ LATCHKEY_HOST: '0.0.0.0', LATCHKEY_DATA_DIR: '/data' });
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-image-'));
    const port = String(await freePort());
    // The image's environment, but on loopback and in a temporary /data.
    const env = { ...process.env, ...image.env, LATCHKEY_HOST: '127.0.0.1', LATCHKEY_PORT: port, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_DRAIN_SECONDS: '0' };
    const child = spawn(process.execPath, image.cmd.slice(1), { cwd: root, env, stdio: 'ignore' });
    try {
      let health = 1;
      for (let i = 0; i < 200 && health !== 0; i++) {
        const probe = spawn(process.execPath, image.healthcheck.slice(1), { env, stdio: 'ignore' });
        health = (await exited(probe)) ?? 1;
        if (health !== 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health).toBe(0);
      expect(existsSync(join(dataDir, 'server.key'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('every variable the compose file sets is valid', () => {
    const services = composeVariables(read('deploy/compose.yaml'));
    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const vars of services) {
      expect(() => loadConfig(vars), JSON.stringify(vars)).not.toThrow();
      // loadConfig ignores names it does not know: a misspelt variable would pass silently.
      for (const name of Object.keys(vars)) expect(read('README.md'), `${name} is documented`).toContain(`\`${name}\``);
    }
    const instance = loadConfig(services[0] ?? {});
    expect(instance.databaseUrl).toMatch(/^postgres:\/\/.*@postgres:5432\/latchkey$/);
    expect(instance.redisUrl).toBe('redis://redis:6379');
  });

  it("the systemd unit starts the built CLI with variables Latchkey accepts, and stops it within the drain's margin", () => {
    const unit = read('deploy/latchkey.service');
    const vars = Object.fromEntries([...unit.matchAll(/(LATCHKEY_[A-Z_]+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    expect(() => loadConfig(vars)).not.toThrow();
    for (const name of Object.keys(vars)) expect(read('README.md'), `${name} is documented`).toContain(`\`${name}\``);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node packages\/server\/dist\/cli\/main\.js serve$/m);
    expect(unit).toMatch(/^ExecStartPre=\/usr\/bin\/node packages\/server\/dist\/cli\/main\.js migrate$/m);
    expect(existsSync(join(root, 'packages/server/dist/cli/main.js'))).toBe(true);
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    expect(stopSeconds).toBeGreaterThan(loadConfig(vars).drainSeconds + 10);
  });
});
