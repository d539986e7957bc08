import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/`, import.meta.url));

/** Node tests of core and server, run against the sources (no build needed). */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@agent-chat\/core$/, replacement: `${src('core')}index.ts` },
      { find: /^@agent-chat\/core\/schemas$/, replacement: `${src('core')}schemas/index.ts` },
      { find: /^@agent-chat\/core\/util$/, replacement: `${src('core')}util/index.ts` },
      { find: /^@agent-chat\/server$/, replacement: `${src('server')}index.ts` },
      { find: /^@agent-chat\/server\/tools$/, replacement: `${src('server')}tools.ts` },
      { find: /^@agent-chat\/server\/(node|express|hono|fastify)$/, replacement: `${src('server')}adapters/$1.ts` },
      { find: /^@agent-chat\/server\/(sqlite|redis)$/, replacement: `${src('server')}stores/$1.ts` },
      { find: /^@agent-chat\/server\/anthropic$/, replacement: `${src('server')}agents/anthropic/index.ts` },
    ],
  },
  test: {
    include: ['packages/{core,server}/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
