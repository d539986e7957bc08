import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Bundles `stdio-mcp-server.ts` into a temporary folder inside the package's
 * node_modules (so its imports of the MCP SDK resolve), for `node <file>`.
 * @returns The bundle's path and a cleanup function.
 */
export async function bundleStdioMcpServer(): Promise<{ file: string; cleanup(): Promise<void> }> {
  const cache = path.resolve(here, '../../../node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(path.join(cache, 'agent-chat-mcp-server-'));
  const file = path.join(dir, 'stdio-mcp-server.mjs');
  await build({
    entryPoints: [path.join(here, 'stdio-mcp-server.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    packages: 'external',
  });
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
