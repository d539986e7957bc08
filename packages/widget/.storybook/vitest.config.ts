import { defineConfig } from 'vitest/config';

/** The built Storybook (storybook-static/) in Chromium: run after `npm run build-storybook`. */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
