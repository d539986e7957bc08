import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as schemas from './schemas/index.js';

/** The modules a browser bundle of `entry` contains. */
async function bundledModules(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('entry points', () => {
  it('@agent-chat/core loads no zod: its schema types are imported by type only', async () => {
    const modules = await bundledModules('./index.ts');
    expect(modules.some((m) => m.endsWith('chat-client.ts'))).toBe(true);
    expect(modules.filter((m) => /node_modules\/zod\//.test(m) || m.includes('/schemas/'))).toEqual([]);
  });

  it('@agent-chat/core/schemas holds the zod schemas and the strict parser', async () => {
    expect(schemas).toHaveProperty('agentEventSchema');
    expect(schemas).toHaveProperty('errorBodySchema');
    expect(typeof schemas.parseAgentEvent).toBe('function');
    expect(root).not.toHaveProperty('agentEventSchema');
    expect(root).not.toHaveProperty('parseAgentEvent');
    expect((await bundledModules('./schemas/index.ts')).some((m) => /node_modules\/zod\//.test(m))).toBe(true);
  });
});
