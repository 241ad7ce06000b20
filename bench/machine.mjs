// What the results file records about where and what was measured: the machine, the package versions and
// the Latchkey commit.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, ROOT } from './servers.mjs';

/** @returns {string} */
export function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The version of an installed package, looked up in bench/node_modules, then the root's.
 * @param {string} name
 * @returns {string}
 */
export function readPackageVersion(name) {
  for (const base of [join(BENCH_DIR, 'node_modules'), join(ROOT, 'node_modules')]) {
    try {
      return JSON.parse(readFileSync(join(base, name, 'package.json'), 'utf8')).version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

/**
 * When the newest file under `dir` was written: when dist was last (re)built.
 * @param {string} dir
 * @returns {string | null}
 */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest ? new Date(newest).toISOString() : null;
}

/**
 * Which Latchkey was measured: the commit, and whether packages/server had uncommitted changes.
 * @returns {{ commit: string, uncommittedChanges: boolean, distBuiltAt: string | null } | null}
 */
export function latchkeySource() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/server'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, uncommittedChanges: dirty, distBuiltAt: newestMtime(join(ROOT, 'packages/server/dist')) };
  } catch {
    return null;
  }
}
