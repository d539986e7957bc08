// Browser tests of @agent-chat/react (npm run test:react): Chromium, against a real
// agent-chat server mounted under /api on the test page's origin, like the widget's
// web-test-runner.config.mjs. Uses the BUILT core, server and widget.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { agentChatApiMiddleware, chromiumLauncher } from './test-support/wtr.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

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
  middleware: [agentChatApiMiddleware('wtr-react')],
  plugins: [reactEsm, esbuildPlugin({ ts: true, target: 'es2022' })],
  browsers: [chromiumLauncher()],
};
