#!/usr/bin/env node
// The `latchkey` command. It is committed, unlike dist/: npm links a workspace's bin when it installs,
// before anything is built, and leaves out a bin whose file does not exist yet, so pointing `bin` at
// dist/cli/main.js left a fresh clone without `npx latchkey`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write('latchkey: the CLI is not built yet; run `npm run build` (npm start builds it too)\n');
  process.exitCode = 1;
}
