import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningExample {
  /** The URL the server printed, ending in `/`. */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts `server.js` as a real child process on an ephemeral port with a
 * private copy of the sandbox (the demo writes into it), and resolves with the URL it prints.
 */
export async function startExample(env: Record<string, string> = {}): Promise<RunningExample> {
  const sandboxDir = await mkdtemp(join(tmpdir(), 'agent-chat-script-tag-'));
  await cp(join(exampleDir, 'sandbox'), sandboxDir, { recursive: true });
  const child = spawn(process.execPath, ['server.js'], {
    cwd: exampleDir,
    env: { ...process.env, ANTHROPIC_API_KEY: '', PORT: '0', SANDBOX_DIR: sandboxDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(sandboxDir, { recursive: true, force: true });
    },
  };
}
