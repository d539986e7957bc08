import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * The BUILT package (npm run build -w @agent-chat/widget) through a bundler, as an
 * app imports it: `import '@agent-chat/widget/define-lazy'` must register the
 * elements it promises. A bundler drops a module the package's `sideEffects` does
 * not list when nothing is used from it, so a registration moved into an unlisted
 * chunk of dist/ would vanish without an error.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

async function bundle(entry: string): Promise<{ atOnce: string; lazy: string }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: '/virtual',
    entryNames: 'entry',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entryKey = Object.keys(outputs).find((k) => /(^|\/)entry\.js$/.test(k))!;
  const atOnceKeys = new Set([entryKey]);
  for (const key of atOnceKeys) for (const i of outputs[key]!.imports) if (i.kind === 'import-statement') atOnceKeys.add(i.path);
  const text = (keep: (key: string) => boolean) =>
    result.outputFiles
      .filter((f) => f.path.endsWith('.js'))
      .filter((f) => keep(Object.keys(outputs).find((k) => f.path.endsWith(k.replace(/^.*virtual\//, '/')))!))
      .map((f) => f.text)
      .join('\n');
  return { atOnce: text((k) => atOnceKeys.has(k)), lazy: text((k) => !atOnceKeys.has(k)) };
}

describe('@agent-chat/widget/define-lazy through a bundler', () => {
  it('registers <agent-chat> and the parts it always shows in what loads at once; the tool parts load on need', async () => {
    const { atOnce, lazy } = await bundle(`import '@agent-chat/widget/define-lazy';`);
    for (const tag of ['agent-chat', 'agent-chat-messages', 'agent-chat-composer', 'agent-chat-status']) {
      expect(new RegExp(`["'\`]${tag}["'\`]`).test(atOnce), `${tag} registered at once`).toBe(true);
    }
    // The code panel's JSON Schema validation comes with the tool parts, on need.
    expect(atOnce).not.toContain('must have at least');
    expect(lazy).toContain('must have at least');
  });

  it('@agent-chat/widget/define registers every tag at once', async () => {
    const { atOnce } = await bundle(`import '@agent-chat/widget/define';`);
    const tags = ['agent-chat', 'agent-chat-messages', 'agent-chat-composer', 'agent-chat-status', 'agent-chat-tool-group'];
    for (const tag of [...tags, 'agent-chat-approvals', 'agent-chat-code-panel', 'agent-chat-research', 'agent-chat-sessions']) {
      expect(new RegExp(`["'\`]${tag}["'\`]`).test(atOnce), `${tag} registered at once`).toBe(true);
    }
  });
});
