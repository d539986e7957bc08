// Measures what a page loads for <agent-chat>: the prebuilt bundle
// (packages/widget/dist/bundle, from `npm run build -w @agent-chat/widget`),
// minified and gzipped (level 9), with the lazy highlight.js chunks listed apart.
// Also builds the same entry with esbuild to attribute bytes to packages, and
// once more with zod replaced by a pass-through stub, to show what a
// zod-free decode path in @agent-chat/core would save.
//   node bench/widget/bundle-size.mjs [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundleDir = join(root, 'packages/widget/dist/bundle');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const main = readFileSync(join(bundleDir, 'agent-chat.bundle.js'));
const lazyDir = join(bundleDir, 'highlight');
const lazy = readdirSync(lazyDir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => {
    const buf = readFileSync(join(lazyDir, f));
    return { file: `highlight/${f}`, min: buf.length, gzip: gz(buf) };
  })
  .sort((a, b) => b.gzip - a.gzip);

const dropZodLocales = {
  name: 'drop-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'x', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};' }));
  },
};
const externalHighlight = {
  name: 'external-highlight',
  setup(b) {
    b.onResolve({ filter: /^highlight\.js\/lib\// }, (args) => ({ path: args.path, external: true }));
  },
};

async function measure(extraPlugins = []) {
  const result = await build({
    entryPoints: [join(root, 'packages/widget/src/define.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [dropZodLocales, externalHighlight, ...extraPlugins],
  });
  const out = result.outputFiles[0].contents;
  const byPackage = new Map();
  for (const [, output] of Object.entries(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : input.includes('packages/core') ? '@agent-chat/core' : '@agent-chat/widget';
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
  }
  return { min: out.length, gzip: gz(out), byPackage: [...byPackage].sort((a, b) => b[1] - a[1]) };
}

// zod replaced by a stub whose schemas accept anything: the size the widget
// would have if core offered a decode path without zod (see docs/benchmarks.md).
const stubZod = {
  name: 'stub-zod',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, () => ({ path: 'zod', namespace: 'stub-zod' }));
    b.onLoad({ filter: /.*/, namespace: 'stub-zod' }, () => ({
      contents: `const s = () => new Proxy(function () {}, { get: (t, k) => k === 'parse' ? (v) => v : k === 'safeParse' ? (v) => ({ success: true, data: v }) : k === 'options' ? [] : s(), apply: () => s() });
        export const z = s(); export default z;`,
    }));
  },
};

const attributed = await measure();
const withoutZod = await measure([stubZod]);
const report = {
  bundle: { file: 'dist/bundle/agent-chat.bundle.js', min: main.length, gzip: gz(main) },
  budgetGzip: 50 * 1024,
  lazy,
  byPackageMin: attributed.byPackage.slice(0, 12),
  withoutZod: { min: withoutZod.min, gzip: withoutZod.gzip },
};
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`agent-chat.bundle.js  ${kb(report.bundle.min)} min  ${kb(report.bundle.gzip)} min+gzip  (budget ${kb(report.budgetGzip)})`);
  console.log(`  without zod (stubbed; what a zod-free decode path in core would give): ${kb(withoutZod.min)} min  ${kb(withoutZod.gzip)} min+gzip`);
  console.log('  bytes in the minified bundle by package:');
  for (const [name, bytes] of report.byPackageMin) console.log(`    ${name.padEnd(28)} ${kb(bytes)}`);
  console.log(`lazy chunks (loaded only for fenced code; ${lazy.length} files):`);
  for (const c of lazy) console.log(`  ${c.file.padEnd(32)} ${kb(c.min)} min  ${kb(c.gzip)} min+gzip`);
}
