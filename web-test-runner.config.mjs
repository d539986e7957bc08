import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { agentChatApiMiddleware, chromiumLauncher } from './test-support/wtr.mjs';
import { attachmentsTestApiMiddleware } from './test-support/attachments-test-api.mjs';
import { scriptedAgUiMiddleware } from './test-support/ag-ui-scripted.mjs';

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
  // `/api`: a real agent-chat server; `/ag-ui-scripted`: a scripted AG-UI agent (src/ag-ui tests).
  middleware: [agentChatApiMiddleware('wtr'), scriptedAgUiMiddleware(), attachmentsTestApiMiddleware()],
  plugins: [highlightCoreAsEsm, esbuildPlugin({ ts: true, target: 'es2022' })],
  browsers: [chromiumLauncher()],
};
