// Measures what a page loads for <agent-chat> from the prebuilt bundle
// (packages/widget/dist/bundle, from `npm run build -w @agent-chat/widget`),
// minified and gzipped (level 9, each file on its own, as it travels):
// - at once: agent-chat.bundle.js and the chunks it imports statically. This is
//   the budget figure (docs/benchmarks.md): everything a page must load;
// - on demand, by group: parts/ (the code panel, approvals and research list,
//   fetched when the first tool call arrives) and highlight/ (highlight.js and
//   one file per language, fetched for fenced code);
// - main + all lazy parts (what a chat with tools ends up loading, highlighting aside).
// Also builds the same entry with esbuild to attribute the bytes of each group to packages.
//   node bench/widget/bundle-size.mjs [--json]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundleDir = join(root, 'packages/widget/dist/bundle');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const MAIN = 'agent-chat.bundle.js';

/** Relative specifiers a minified ES module imports statically (`import ... from`, `export ... from`, bare `import '...'`). */
function staticImports(code) {
  const found = code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...new Set([...found].map((m) => m[1]))];
}

/** `file` and every file it imports statically, transitively (paths relative to the bundle's folder). */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const specifier of staticImports(readFileSync(join(bundleDir, file), 'utf8'))) {
    staticClosure(relative(bundleDir, normalize(join(bundleDir, dirname(file), specifier))), seen);
  }
  return seen;
}

function measureFile(file) {
  const buf = readFileSync(join(bundleDir, file));
  return { file, min: buf.length, gzip: gz(buf) };
}

function group(files) {
  const measured = files.map(measureFile).sort((a, b) => b.gzip - a.gzip);
  return {
    files: measured,
    min: measured.reduce((sum, f) => sum + f.min, 0),
    gzip: measured.reduce((sum, f) => sum + f.gzip, 0),
  };
}

const jsIn = (dir) => (existsSync(join(bundleDir, dir)) ? readdirSync(join(bundleDir, dir)).filter((f) => f.endsWith('.js')).map((f) => `${dir}/${f}`) : []);
const atOnceFiles = [...staticClosure(MAIN)];
const atOnce = group(atOnceFiles);
const parts = group(jsIn('parts').filter((f) => !atOnceFiles.includes(f)));
const highlight = group(jsIn('highlight'));

/** Bytes in the minified output by package, for what loads at once and for the lazy parts. */
async function attribute() {
  const result = await build({
    entryPoints: { 'agent-chat.bundle': join(root, 'packages/widget/src/define-bundle.ts') },
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outdir: join(root, 'bench/widget/.out'),
    chunkNames: 'parts/[name]-[hash]',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'external-highlight',
        setup(b) {
          b.onResolve({ filter: /^highlight\.js\/lib\// }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const outputs = result.metafile.outputs;
  const mainKey = Object.keys(outputs).find((k) => k.endsWith(`/${MAIN}`));
  const loadedAtOnce = new Set([mainKey]);
  for (const key of loadedAtOnce) {
    for (const i of outputs[key].imports) if (i.kind === 'import-statement' && !i.external) loadedAtOnce.add(i.path);
  }
  const tally = (keys) => {
    const byPackage = new Map();
    for (const key of keys) {
      for (const [input, { bytesInOutput }] of Object.entries(outputs[key].inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const name = m ? m[1] : input.includes('packages/core') ? '@agent-chat/core' : '@agent-chat/widget';
        byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
      }
    }
    return [...byPackage].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
  };
  const jsOutputs = Object.keys(outputs).filter((k) => k.endsWith('.js'));
  return { atOnce: tally([...loadedAtOnce]), parts: tally(jsOutputs.filter((k) => !loadedAtOnce.has(k))) };
}

const byPackageMin = await attribute();
const report = {
  // The budget figure, under the name bench/run.mjs reads.
  bundle: { file: atOnceFiles.join(' + '), min: atOnce.min, gzip: atOnce.gzip },
  atOnce,
  budgetGzip: 50 * 1024,
  lazy: { parts, highlight },
  mainPlusParts: { min: atOnce.min + parts.min, gzip: atOnce.gzip + parts.gzip },
  byPackageMin,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const line = (f, width = 34) => `  ${f.file.padEnd(width)} ${kb(f.min).padStart(9)} min  ${kb(f.gzip).padStart(8)} min+gzip`;
  console.log(`loaded at once (the budget figure): ${kb(atOnce.min)} min  ${kb(atOnce.gzip)} min+gzip  (budget ${kb(report.budgetGzip)}${atOnce.gzip > report.budgetGzip ? ', OVER' : ''})`);
  for (const f of atOnce.files) console.log(line(f));
  console.log('  bytes in the minified files by package:');
  for (const [name, bytes] of byPackageMin.atOnce) console.log(`    ${name.padEnd(28)} ${kb(bytes)}`);
  console.log(`lazy, parts/ (tool-call cards, code panel, approvals, research, sessions sidebar: at the first tool call or sidebar; code blocks: at the first code block; JSON Schema validator: at the first saved input edit): ${kb(parts.min)} min  ${kb(parts.gzip)} min+gzip`);
  for (const f of parts.files) console.log(line(f));
  console.log('  bytes in the minified files by package:');
  for (const [name, bytes] of byPackageMin.parts) console.log(`    ${name.padEnd(28)} ${kb(bytes)}`);
  console.log(`lazy, highlight/ (fetched for fenced code: core and the block's language; ${highlight.files.length} files): ${kb(highlight.min)} min  ${kb(highlight.gzip)} min+gzip in all`);
  for (const f of highlight.files) console.log(line(f));
  console.log(`main + all lazy parts: ${kb(report.mainPlusParts.min)} min  ${kb(report.mainPlusParts.gzip)} min+gzip (highlighting aside)`);
}
