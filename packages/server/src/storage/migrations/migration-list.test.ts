import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from './migration-list.js';

describe('the migration list', () => {
  it('numbers the migrations from 0001 without gaps, in order, one file each named after it', () => {
    expect(MIGRATION_NAMES.map((name) => Number(name.slice(0, 4)))).toEqual(MIGRATION_NAMES.map((_, i) => i + 1));
    const files = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.sort()).toEqual(MIGRATION_NAMES.map((name) => `${name.replaceAll('_', '-')}.ts`));
  });
});
