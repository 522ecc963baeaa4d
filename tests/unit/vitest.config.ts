// Unit tests of the pure domain rules (schema/): plain Node, no workerd, no browser.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '../..'),
    environment: 'node',
    include: ['tests/unit/**/*.test.ts'],
  },
});
