// Shared pieces of the web-test-runner configs: a real agent-chat server on the
// test page's origin, and Debian's Chromium. Uses the BUILT core and server
// (npm run build -w @agent-chat/core && npm run build -w @agent-chat/server).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { createChatServer, demoAgent } from '../packages/server/dist/index.js';
import { createNodeListener } from '../packages/server/dist/node.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags.mjs';

/** A temporary sandbox with a few files for the demo agent's file tools, removed at exit. */
function makeSandbox(name) {
  const dir = mkdtempSync(join(tmpdir(), `agent-chat-${name}-`));
  writeFileSync(join(dir, 'README.md'), '# Sandbox\n\nFiles the demo agent may read.\n');
  writeFileSync(join(dir, 'numbers.txt'), '1 2 3 5 8 13\n');
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'todo.md'), '- write tests\n- ship\n');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A Koa middleware serving a real agent-chat server (demo agent, 3 ms chunks,
 * limits lifted for many tests) under `/api` on the test runner's own origin.
 */
export function agentChatApiMiddleware(name = 'wtr') {
  const chatServer = createChatServer({
    agent: demoAgent({ sandboxDir: makeSandbox(name), chunkDelayMs: 3 }),
    maxSessionsPerUser: 10_000,
    maxSessions: 10_000,
    // Every test page is the one user "dev", and pages run in parallel.
    maxStreamsPerUser: 10_000,
    logger: { info() {}, warn() {}, error: console.error },
  });
  const listener = createNodeListener(chatServer);
  return function agentChatApi(ctx, next) {
    if (!ctx.path.startsWith('/api')) return next();
    // The listener answers on the raw response; Koa must not, and the status
    // keeps wtr from reporting these requests as 404s.
    ctx.status = 200;
    ctx.respond = false;
    listener(ctx.req, ctx.res);
  };
}

/** Headless Debian Chromium through playwright (never a downloaded browser). */
export function chromiumLauncher() {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS },
  });
}
