import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
// The built server (npm run build -w @agent-chat/core && npm run build -w @agent-chat/server).
import { createChatServer, demoAgent } from './packages/server/dist/index.js';
import { createNodeListener } from './packages/server/dist/node.js';

/** A sandbox with a few files for the demo agent's file tools. */
function makeSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'agent-chat-wtr-'));
  writeFileSync(join(dir, 'README.md'), '# Sandbox\n\nFiles the demo agent may read.\n');
  writeFileSync(join(dir, 'numbers.txt'), '1 2 3 5 8 13\n');
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'todo.md'), '- write tests\n- ship\n');
  return dir;
}

// A real agent-chat server for the widget's browser tests, on the test runner's own origin under /api.
const chatServer = createChatServer({
  agent: demoAgent({ sandboxDir: makeSandbox(), chunkDelayMs: 3 }),
  maxSessionsPerUser: 10_000,
  maxSessions: 10_000,
  logger: { info() {}, warn() {}, error: console.error },
});
const listener = createNodeListener(chatServer);

/**
 * highlight.js ships its core as CommonJS behind a thin ES wrapper, which a
 * browser cannot import natively (bundlers convert it). The widget imports it
 * lazily, so the test server hands out an ES module converted by esbuild.
 */
const highlightCore = createRequire(new URL('./packages/widget/package.json', import.meta.url)).resolve('highlight.js/lib/core');
const highlightCoreAsEsm = {
  name: 'highlight-core-as-esm',
  serve(context) {
    if (!context.path.endsWith('/highlight.js/lib/core.js')) return undefined;
    const { outputFiles } = buildSync({ entryPoints: [highlightCore], bundle: true, format: 'esm', write: false, logLevel: 'silent' });
    return { body: outputFiles[0].text, type: 'js' };
  },
};

export default {
  files: ['packages/widget/src/**/*.test.ts', '!packages/widget/src/**/*.node.test.ts'],
  nodeResolve: true,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [
    function agentChatApi(ctx, next) {
      if (!ctx.path.startsWith('/api')) return next();
      // The listener answers on the raw response; Koa must not, and the status
      // keeps wtr from reporting these requests as 404s.
      ctx.status = 200;
      ctx.respond = false;
      listener(ctx.req, ctx.res);
    },
  ],
  plugins: [highlightCoreAsEsm, esbuildPlugin({ ts: true, target: 'es2022' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      },
    }),
  ],
};
