// Browser tests: plain Node driving Chromium (playwright-core) against one `wrangler dev` started by the global setup.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '../..'),
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    // Within one vitest run, one server and one file at a time (tests/e2e/run.mjs runs two such groups side by side).
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // The files share one worker process: each file's own fork re-imported playwright-core and the schema modules
    // (about 1.3 s a file). Nothing in these files keeps module state between files (each launches its own browser).
    isolate: false,
    // it.concurrent tests of one file (the a11y sweeps) two at a time: one page per core.
    maxConcurrency: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
