import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start servers and databases of their own; two cores, so keep the parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test-summary-reporter.ts'],
  },
});
