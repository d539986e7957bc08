import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `source` for the browser against the BUILT package, React left out; returns the code. */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    minify: true,
    external: ['react', 'react-dom'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('tree shaking (the built package, bundled by esbuild)', () => {
  it('leaves the widget out of an app that only uses the hook', async () => {
    const hookOnly = await bundle(`import { useAgentChat } from '@agent-chat/react'; console.log(useAgentChat);`);
    const withComponent = await bundle(`import { AgentChat } from '@agent-chat/react'; console.log(AgentChat);`);

    expect(hookOnly).not.toContain('agent-chat-composer');
    expect(hookOnly).not.toMatch(/customElements\.define/);
    expect(withComponent).toContain('agent-chat-composer');
    expect(withComponent).toMatch(/customElements\.define/);
    // The hook is core's client and reducer (with zod); the component adds Lit, the markdown renderer and the elements.
    expect(hookOnly.length).toBeLessThan(withComponent.length);
    console.info(`bundle sizes (minified, React external): hook ${hookOnly.length} B, component ${withComponent.length} B`);
  });
});
