// Figure 6: what a page loads for each chat widget, min+gzip (level 9), all
// built by one esbuild procedure (bundle, minify, ESM, es2022, browser,
// code splitting so lazy chunks are listed apart): ours (@agent-chat/widget,
// registering <agent-chat> as the prebuilt bundle does, and with every tag at once), deep-chat (<deep-chat>) and @n8n/chat (createChat).
// CSS a package ships for its page is counted too (n8n's style.css).
//   npm run build && node bench/bundle.mjs [--json]
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { quick, report } from './lib/args.mjs';
import { root } from './lib/process.mjs';

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

const subjects = [
  // What the prebuilt bundle does: tool parts (code panel, approvals, research) on first need.
  { name: 'ours', pkg: '@agent-chat/widget', entry: `import '@agent-chat/widget/define-lazy';` },
  // Every tag registered at once.
  { name: 'ours-eager', pkg: '@agent-chat/widget', entry: `import '@agent-chat/widget/define';` },
  { name: 'deep-chat', pkg: 'deep-chat', entry: `import 'deep-chat';` },
  { name: '@n8n/chat', pkg: '@n8n/chat', entry: `export { createChat } from '@n8n/chat'; import '@n8n/chat/style.css';` },
];

async function measure({ name, pkg, entry }) {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const outdir = mkdtempSync(join(tmpdir(), 'agent-chat-bundle-'));
  try {
    const result = await build({
      stdin: { contents: entry, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      outdir,
      entryNames: 'entry',
      absWorkingDir: root,
      metafile: true,
      logLevel: 'silent',
      loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const outputs = Object.entries(result.metafile.outputs).map(([file, meta]) => ({ file, meta }));
    // Initial load: the entry and the chunks it imports statically; the rest is lazy.
    const initial = new Set();
    const visit = (file) => {
      if (initial.has(file)) return;
      initial.add(file);
      for (const imp of result.metafile.outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
    };
    // Chunks made for dynamic imports also carry an entryPoint: only our own entry counts.
    for (const o of outputs) if (/(^|\/)entry\.(js|css)$/.test(o.file)) visit(o.file);
    const sizeOf = (file) => {
      const buf = readFileSync(join(root, file));
      return { min: buf.length, gzip: gz(buf) };
    };
    let min = 0;
    let gzip = 0;
    const lazy = [];
    for (const o of outputs) {
      if (!/\.(js|css)$/.test(o.file)) continue;
      const s = sizeOf(o.file);
      if (initial.has(o.file)) {
        min += s.min;
        gzip += s.gzip;
      } else lazy.push(s);
    }
    return {
      name,
      version,
      min,
      gzip,
      lazyChunks: lazy.length,
      lazyGzip: lazy.reduce((a, b) => a + b.gzip, 0),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (!existsSync(join(root, 'packages/widget/dist/define.js'))) throw new Error('build the widget first: npm run build');
const result = { quick, subjects: [] };
for (const s of subjects) result.subjects.push(await measure(s));
report(result);
