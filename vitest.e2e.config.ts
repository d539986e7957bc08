import { defineConfig } from 'vitest/config';

/** End-to-end tests: the built example app driven in Debian's Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['examples/*/test/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
