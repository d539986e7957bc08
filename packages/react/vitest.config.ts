import { defineConfig } from 'vitest/config';

/**
 * Node tests of @agent-chat/react (server-side rendering, the store against a
 * real server). They use the BUILT core, server and widget. Browser tests run in
 * web-test-runner (web-test-runner.react.config.mjs at the root).
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.node.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
