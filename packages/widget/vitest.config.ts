import { defineConfig } from 'vitest/config';

/** Node tests of the widget: the SSR-safe import of the built package. Browser tests run in web-test-runner. */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.node.test.ts'],
    environment: 'node',
  },
});
