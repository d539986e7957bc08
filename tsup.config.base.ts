import { defineConfig, type Options } from 'tsup';

/**
 * The one build config every package shares: ESM only, type declarations,
 * sourcemaps, modern syntax. Each package passes only its entry points and,
 * where it needs one, extra options (a browser bundle, externals).
 */
export function packageBuild(entry: Options['entry'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'es2022',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...extra,
    ...(FAST ? { dts: false, clean: false } : {}),
  });
}

/**
 * `AGENT_CHAT_FAST_BUILD=1` (what `npm start` sets, scripts/start.mjs): JavaScript
 * only. Type declarations are most of a build's time and running an example
 * needs none; nothing is cleaned, so declarations of an earlier full build stay.
 */
const FAST = process.env.AGENT_CHAT_FAST_BUILD === '1';
