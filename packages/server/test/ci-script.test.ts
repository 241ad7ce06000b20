import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('.ci/run', () => {
  it("installs the committed lock with npm ci, then runs exactly the README's test command", () => {
    // The README's set-up block: "npm install && npm test      # the whole test suite…".
    const readmeTest = /^(npm install && npm test)\s/m.exec(read('README.md'))?.[1];
    expect(readmeTest).toBe('npm install && npm test');
    const commands = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    // npm ci fails when package.json and package-lock.json disagree, which a plain npm install would paper over.
    expect(commands.slice(-2)).toEqual(['npm ci', readmeTest]);
  });
});
