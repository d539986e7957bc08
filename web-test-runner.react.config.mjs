// Browser tests of @agent-chat/react (npm run test:react): Chromium, against a real
// agent-chat server mounted under /api on the test page's origin, like the widget's
// web-test-runner.config.mjs. Uses the BUILT core, server and widget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { createChatServer, demoAgent } from './packages/server/dist/index.js';
import { createNodeListener } from './packages/server/dist/node.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

/** A sandbox with a few files for the demo agent's file tools. */
function makeSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'agent-chat-wtr-react-'));
  writeFileSync(join(dir, 'README.md'), '# Sandbox\n\nFiles the demo agent may read.\n');
  writeFileSync(join(dir, 'numbers.txt'), '1 2 3 5 8 13\n');
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'todo.md'), '- write tests\n- ship\n');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const chatServer = createChatServer({
  agent: demoAgent({ sandboxDir: makeSandbox(), chunkDelayMs: 3 }),
  maxSessionsPerUser: 10_000,
  maxSessions: 10_000,
  logger: { info() {}, warn() {}, error: console.error },
});
const listener = createNodeListener(chatServer);

/*
 * React ships CommonJS only, which the dev server cannot serve to a browser as
 * is. This plugin bundles react, react-dom and react-dom/client once with
 * esbuild into one ES module (a single copy of React), and answers each of
 * those specifiers with a small module re-exporting its names from that bundle.
 */
const REACT_MODULES = {
  react: 'React',
  'react-dom': 'ReactDOM',
  'react-dom/client': 'ReactDOMClient',
  'react/jsx-runtime': 'JSXRuntime',
};
const PREFIX = '/__react-esm__/';
let bundlePromise;
function reactBundle() {
  bundlePromise ??= build({
    stdin: {
      contents: Object.entries(REACT_MODULES)
        .map(([specifier, name]) => `export * as ${name} from ${JSON.stringify(specifier)};`)
        .join('\n'),
      resolveDir: root,
    },
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return bundlePromise;
}
// Read now, at config load: requiring React later, once the runner proxies the console, fails.
const EXPORT_NAMES = Object.fromEntries(
  Object.keys(REACT_MODULES).map((specifier) => [
    specifier,
    Object.keys(require(specifier)).filter((key) => key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key)),
  ]),
);
function reExports(specifier) {
  const name = REACT_MODULES[specifier];
  const names = EXPORT_NAMES[specifier];
  return [
    `import { ${name} as ns } from '${PREFIX}bundle.js';`,
    `const m = ns.default ?? ns;`,
    `export default m;`,
    `export const { ${names.join(', ')} } = m;`,
  ].join('\n');
}
const reactEsm = {
  name: 'react-esm',
  resolveImport({ source }) {
    if (source in REACT_MODULES) return `${PREFIX}${encodeURIComponent(source)}.js`;
  },
  async serve(context) {
    if (!context.path.startsWith(PREFIX)) return;
    const file = decodeURIComponent(context.path.slice(PREFIX.length, -'.js'.length));
    if (file === 'bundle') return { body: await reactBundle(), type: 'js' };
    if (file in REACT_MODULES) return { body: reExports(file), type: 'js' };
  },
};

export default {
  files: ['packages/react/src/**/*.test.ts', '!packages/react/src/**/*.node.test.ts'],
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
  plugins: [reactEsm, esbuildPlugin({ ts: true, target: 'es2022' })],
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
