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

// Two builds into one dist/, run in parallel: the first cleans all but the
// bundle's files, the second cleans nothing, so neither deletes the other's output.
export default [
  packageBuild({ index: 'src/index.ts', define: 'src/define.ts' }, { splitting: true, clean: ['!agent-chat.bundle.*'] }),
  packageBuild(
    { 'agent-chat.bundle': 'src/define.ts' },
    {
      noExternal: [/.*/],
      minify: true,
      dts: false,
      platform: 'browser',
      clean: false,
      esbuildPlugins: [dropZodLocales],
    },
  ),
];
