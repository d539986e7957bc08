// Writes src/protocol-shapes.generated.ts from the zod schemas in src/schemas
// (see src/codegen/protocol-shapes-source.ts). Run by core's build.
//   node scripts/generate-protocol-shapes.mjs          write the file when it changed
//   node scripts/generate-protocol-shapes.mjs --check  exit 1 when it is stale
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const target = join(src, 'protocol-shapes.generated.ts');
const dir = mkdtempSync(join(tmpdir(), 'agent-chat-codegen-'));
try {
  const outfile = join(dir, 'codegen.mjs');
  // The generator is TypeScript importing the schemas: bundle it (zod included) to run it on Node 20.
  await build({
    entryPoints: [join(src, 'codegen', 'protocol-shapes-source.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { protocolShapesSource } = await import(pathToFileURL(outfile).href);
  const source = protocolShapesSource();
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (process.argv.includes('--check')) {
    if (current !== source) {
      console.error(`${target} is stale: run npm run build -w @agent-chat/core`);
      process.exitCode = 1;
    }
  } else if (current !== source) {
    writeFileSync(target, source);
    console.log(`wrote ${target}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
