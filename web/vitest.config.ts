// Unit tests of the PWA's pure modules (uuidv7, backoff, the optimistic case view), beside the code in web/src.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname),
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
