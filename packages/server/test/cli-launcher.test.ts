import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-launcher-'));

interface Manifest {
  readonly name: string;
  readonly version?: string;
  readonly workspaces?: readonly string[];
  readonly bin?: string | Readonly<Record<string, string>>;
}

function manifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest;
}

/** Every bin target the workspaces declare, as a path from the repository root. */
function declaredBins(): string[] {
  return (manifest('.').workspaces ?? []).flatMap((folder) => {
    const { bin } = manifest(folder);
    const targets = bin === undefined ? [] : typeof bin === 'string' ? [bin] : Object.values(bin);
    return targets.map((target) => posix.join(folder, target));
  });
}

describe('the latchkey command a newcomer types', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has every bin a workspace declares tracked by git, executable, so npm can link it at install, before any build', async () => {
    const bins = declaredBins();
    expect(bins.length).toBeGreaterThan(0);
    // `git ls-files --stage` lines: "<mode> <object> <stage>\t<path>"; an untracked (or ignored, built) file is absent.
    const { stdout } = await execFileAsync('git', ['ls-files', '--stage', '--', ...bins], { cwd: root });
    const modes = new Map(stdout.split('\n').filter((l) => l !== '').map((l) => [l.split('\t')[1], l.split(' ')[0]]));
    expect(Object.fromEntries(bins.map((b) => [b, modes.get(b)]))).toEqual(Object.fromEntries(bins.map((b) => [b, '100755'])));
    for (const bin of bins) expect(readFileSync(join(root, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('runs from the repository root exactly as the README types it: npx latchkey …', async () => {
    // --no: were the bin not linked, npx would otherwise fetch and run whatever the registry calls "latchkey";
    // `--` because npx reads `--no latchkey` as a value and keeps the next --version for npm itself.
    const npx = (...args: string[]) => execFileAsync('npx', ['--no', '--', 'latchkey', ...args], { cwd: root, env: { ...process.env, LATCHKEY_DATA_DIR: dataDir } });
    expect((await npx('--version')).stdout).toBe(`${manifest('packages/server').version ?? ''}\n`);
    const services = await npx('service', 'list', '--json');
    expect(JSON.parse(services.stdout)).toEqual({ items: [] });
  });

  it('says in one line how to build the CLI when dist/ is not built yet', async () => {
    const { bin } = manifest('packages/server');
    const launcher = typeof bin === 'string' ? bin : (bin?.latchkey ?? '');
    // The launcher alone, in a package folder with nothing built.
    const unbuilt = join(dataDir, 'unbuilt');
    mkdirSync(dirname(join(unbuilt, launcher)), { recursive: true });
    copyFileSync(join(root, 'packages/server', launcher), join(unbuilt, launcher));
    const failed = await execFileAsync(process.execPath, [join(unbuilt, launcher), '--version']).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    expect(failed).toEqual({
      code: 1,
      stdout: '',
      stderr: 'latchkey: the CLI is not built yet; run `npm run build` (npm start builds it too)\n',
    });
  });
});
