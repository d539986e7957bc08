import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A chat server running in a child process. */
export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:port/api` */
  base: string;
  /** Everything the process wrote on stderr. */
  stderr(): string;
  /** SIGKILL: the process dies at once, mid-whatever. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful close. */
  stop(): Promise<void>;
}

/**
 * Bundles `store-server.ts` from the sources (so the child runs exactly the
 * code under test, no build needed) into a temporary folder.
 * @returns The bundle's path and a cleanup function.
 */
export async function bundleStoreServer(): Promise<{ file: string; cleanup(): Promise<void> }> {
  // Inside the package's node_modules, so that the bundle's imports of the externals resolve (ESM ignores NODE_PATH).
  const cache = path.resolve(here, '../../../node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(path.join(cache, 'agent-chat-store-server-'));
  const file = path.join(dir, 'store-server.mjs');
  await build({
    entryPoints: [path.join(here, 'store-server.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    alias: {
      '@agent-chat/core': path.resolve(here, '../../../../core/src/index.ts'),
      '@agent-chat/core/schemas': path.resolve(here, '../../../../core/src/schemas/index.ts'),
      '@agent-chat/core/util': path.resolve(here, '../../../../core/src/util/index.ts'),
    },
    // CommonJS packages (and those that load one) cannot be bundled into ESM: they require Node built-ins.
    external: ['better-sqlite3', 'ioredis', 'busboy', 'file-type', 'image-size'],
  });
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts the bundled server with `env` and waits until it listens. */
export async function startServerProcess(file: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}/api`,
    stderr: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
