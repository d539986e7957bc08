import { defineConfig } from 'vitest/config';

/** The tarball install test (npm run test:tarball): packs, installs into a temp app, runs it. Needs built packages. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 200_000,
  },
});
