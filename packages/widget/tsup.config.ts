import type { Plugin } from 'esbuild';
import { packageBuild } from '../../tsup.config.base';

/**
 * zod's `z` namespace re-exports every locale (`z.locales`), which a bundler
 * cannot tree-shake; nothing here uses them (errors use the built-in English
 * one), so the bundle gets an empty module instead: about 260 KB less.
 */
const dropZodLocales: Plugin = {
  name: 'drop-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'drop-zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'drop-zod-locales' }, () => ({ contents: 'export {};' }));
  },
};

/** highlight.js grammars the widget may load, one standalone file each under dist/bundle/highlight/. */
const HIGHLIGHT_LANGUAGES = [
  'bash', 'c', 'cpp', 'csharp', 'css', 'diff', 'go', 'java', 'javascript', 'json', 'kotlin',
  'markdown', 'php', 'python', 'ruby', 'rust', 'sql', 'swift', 'typescript', 'xml', 'yaml',
];

/**
 * In the prebuilt bundle, `import('highlight.js/lib/...')` becomes a relative
 * URL to a file next to the bundle, so the bundle itself stays one
 * self-contained file and highlighting costs nothing until a code block shows up.
 */
const highlightNextToBundle: Plugin = {
  name: 'highlight-next-to-bundle',
  setup(build) {
    build.onResolve({ filter: /^highlight\.js\/lib\/(core|languages\/[\w-]+)$/ }, (args) => ({
      path: `./highlight/${args.path.split('/').pop()}.js`,
      external: true,
    }));
  },
};

// Three builds into one dist/, run in parallel: the package build cleans all
// but bundle/; the browser bundle and its highlight files write only there.
export default [
  packageBuild({ index: 'src/index.ts', define: 'src/define.ts' }, { splitting: true, clean: ['!bundle/**'] }),
  // The prebuilt bundle for a <script type="module">: one file, highlight.js apart.
  packageBuild(
    { 'agent-chat.bundle': 'src/define.ts' },
    {
      outDir: 'dist/bundle',
      noExternal: [/.*/],
      minify: true,
      dts: false,
      platform: 'browser',
      clean: ['agent-chat.bundle.*'],
      esbuildPlugins: [dropZodLocales, highlightNextToBundle],
    },
  ),
  packageBuild(
    {
      core: 'node_modules/highlight.js/es/core.js',
      ...Object.fromEntries(HIGHLIGHT_LANGUAGES.map((l) => [l, `node_modules/highlight.js/es/languages/${l}.js`])),
    },
    { outDir: 'dist/bundle/highlight', noExternal: [/.*/], minify: true, dts: false, sourcemap: false, platform: 'browser', clean: true },
  ),
];
