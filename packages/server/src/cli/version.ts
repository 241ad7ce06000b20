import { readFileSync } from 'node:fs';

/** The version in packages/server/package.json, which sits two folders up from both src/cli/ and dist/cli/. */
export function latchkeyVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('packages/server/package.json has no version');
  return manifest.version;
}
