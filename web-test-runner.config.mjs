import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export default {
  files: ['packages/widget/src/**/*.test.ts'],
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
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
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
