import type { Plugin } from 'esbuild';
import { packageBuild } from '../../tsup.config.base';
import { minifyCssTemplatesPlugin } from './src/build/minify-css-templates';

/** highlight.js grammars the widget may load, one standalone file each under dist/bundle/highlight/. */
const HIGHLIGHT_LANGUAGES = [
  'bash', 'c', 'cpp', 'csharp', 'css', 'diff', 'go', 'java', 'javascript', 'json', 'kotlin',
  'markdown', 'php', 'python', 'ruby', 'rust', 'sql', 'swift', 'typescript', 'xml', 'yaml',
];

/**
 * In the prebuilt bundle, `import('highlight.js/lib/...')` becomes a relative
 * URL to a file in highlight/ next to the bundle (built apart, below), so
 * highlighting costs nothing until a code block shows up. The URL is relative
 * to the file that imports it: highlight.ts is only reached through
 * `<agent-chat-messages>`'s `import()` of code-blocks.ts, so it is always in
 * a file of parts/, hence `../highlight/` (src/define-bundle.node.test.ts
 * checks every import of the built files).
 */
const highlightNextToBundle: Plugin = {
  name: 'highlight-next-to-bundle',
  setup(build) {
    build.onResolve({ filter: /^highlight\.js\/lib\/(core|languages\/[\w-]+)$/ }, (args) => ({
      path: `../highlight/${args.path.split('/').pop()}.js`,
      external: true,
    }));
  },
};

// Three builds into one dist/, run in parallel: the package build cleans all
// but bundle/; the browser bundle and its highlight files write only there.
export default [
  packageBuild(
    { index: 'src/index.ts', define: 'src/define.ts', 'define-lazy': 'src/define-bundle.ts' },
    { splitting: true, clean: ['!bundle/**'], esbuildPlugins: [minifyCssTemplatesPlugin] },
  ),
  // The prebuilt bundle for a <script type="module">. Code splitting puts what only tool calls
  // need in parts/tool-parts-<hash>.js and code blocks' copy buttons and highlighting in
  // parts/code-blocks-<hash>.js (each loaded on first need), and what the parts share with
  // the bundle in parts/chunk-<hash>.js (imported by the bundle at once); highlight.js apart.
  packageBuild(
    { 'agent-chat.bundle': 'src/define-bundle.ts' },
    {
      outDir: 'dist/bundle',
      noExternal: [/.*/],
      minify: true,
      dts: false,
      platform: 'browser',
      splitting: true,
      clean: ['agent-chat.bundle.*', 'parts/**'],
      esbuildPlugins: [highlightNextToBundle, minifyCssTemplatesPlugin],
      esbuildOptions(options) {
        // Content hashes: a part cached for good can never be mixed with another version of the bundle.
        options.chunkNames = 'parts/[name]-[hash]';
        // Third-party license notices (lit's) in agent-chat.bundle.js.LEGAL.txt next to the bundle, named by
        // a comment in each file, instead of at the end of a file every page loads.
        options.legalComments = 'linked';
      },
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
