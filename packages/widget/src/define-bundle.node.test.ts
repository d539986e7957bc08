import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The BUILT prebuilt bundle (npm run build -w @agent-chat/widget): its files
 * reference each other correctly, the tool parts are split off, and it exports
 * the package's API but the lazy parts' classes and helpers.
 */
const bundleDir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
const read = (file: string) => readFileSync(join(bundleDir, file), 'utf8');
const partsFiles = () => readdirSync(join(bundleDir, 'parts')).filter((f) => f.endsWith('.js')).map((f) => `parts/${f}`);
/** Relative specifiers of static imports and of import() in minified esbuild output. */
function imports(code: string): { static: string[]; dynamic: string[] } {
  return {
    static: [...new Set([...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!))],
    dynamic: [...new Set([...code.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((m) => m[1]!))],
  };
}

describe('dist/bundle', () => {
  it('every relative import of the bundle and its parts names a file next to it', () => {
    for (const file of ['agent-chat.bundle.js', ...partsFiles()]) {
      const { static: s, dynamic: d } = imports(read(file));
      for (const specifier of [...s, ...d]) {
        expect(existsSync(join(bundleDir, dirname(file), specifier)), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('loads only its shared chunk at once; the tool parts, code blocks, attachments, the AG-UI client and highlight.js on demand', () => {
    const { static: atOnce } = imports(read('agent-chat.bundle.js'));
    expect(atOnce.length).toBeGreaterThan(0);
    for (const specifier of atOnce) expect(specifier).toMatch(/^\.\/parts\/chunk-\w+\.js$/);
    // What the files loaded at once import on demand, as paths in the bundle's folder.
    const atOnceFiles = ['agent-chat.bundle.js', ...atOnce.map((s) => join('.', s))];
    const onDemand = [...new Set(atOnceFiles.flatMap((file) => imports(read(file)).dynamic.map((s) => join(dirname(file), s))))];
    expect(onDemand.filter((f) => f.startsWith('parts/')).sort()).toEqual([
      expect.stringMatching(/^parts\/ag-ui-part-\w+\.js$/),
      expect.stringMatching(/^parts\/attachment-parts-\w+\.js$/),
      expect.stringMatching(/^parts\/code-blocks-\w+\.js$/),
      expect.stringMatching(/^parts\/tool-parts-\w+\.js$/),
    ]);
    const codeBlocks = imports(read(onDemand.find((f) => f.includes('code-blocks'))!));
    expect(codeBlocks.dynamic.filter((s) => s.startsWith('../highlight/')).length).toBeGreaterThan(10);
    // The code panel's JSON Schema validation is in the tool parts, not in what loads at once.
    const message = 'must have at least';
    const atOnceCode = atOnceFiles.map((f) => read(f)).join('\n');
    expect(atOnceCode).not.toContain(message);
    expect(read(onDemand.find((f) => f.includes('tool-parts'))!)).toContain(message);
  });

  it('exports what the package index exports, but the lazy parts’ classes and their helpers', async () => {
    // `export{a as X,...}` at the end, and `export{b as Y}from'./parts/chunk-...'` for what lives in the shared chunk.
    const clauses = [...read('agent-chat.bundle.js').matchAll(/\bexport\s*\{([^}]*)\}/g)].map((m) => m[1]!);
    expect(clauses.length).toBeGreaterThan(0);
    const exported = clauses.flatMap((clause) => clause.split(',').map((entry) => entry.trim().split(/\s+as\s+/).pop()!)).sort();
    // By URL: type-checking the built declarations next to the sources would declare every element twice.
    const index = Object.keys((await import(new URL('../dist/index.js', import.meta.url).href)) as object);
    const lazy = [
      'AgentChatApprovals', 'AgentChatCodePanel', 'AgentChatResearch', 'AgentChatSessions', 'AgentChatToolGroup', 'lineDiff', 'validateJsonSchema',
      // The attachment parts, their strings and event: loaded where the server takes files.
      'AgentChatAttachments', 'AgentChatUploads', 'AgentChatUploadsChangeEvent', 'DEFAULT_ATTACHMENT_STRINGS',
    ];
    expect(exported).toEqual(index.filter((name) => !lazy.includes(name)).sort());
  });
});
