import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningExample {
  /** The URL the server printed, ending in `/`. */
  url: string;
  /** The example's private copy of its sandbox folder (the demo agent writes into it). */
  sandboxDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts an example's `server.js` as a real child process on an ephemeral port,
 * with a private copy of its `sandbox/` folder, and resolves with the URL it
 * prints (`... running at http://...`). The demo agent is forced (no Anthropic or OpenAI key or base URL).
 *
 * @param exampleUrl The example's folder, e.g. `new URL('..', import.meta.url)` from its test folder.
 * @throws {Error} when the process exits or prints no URL within 20 s.
 */
export async function startExample(exampleUrl: URL, env: Record<string, string> = {}): Promise<RunningExample> {
  const exampleDir = fileURLToPath(exampleUrl);
  const sandboxDir = await mkdtemp(join(tmpdir(), `agent-chat-${basename(exampleDir)}-`));
  const sandboxSource = join(exampleDir, 'sandbox');
  if (await stat(sandboxSource).catch(() => undefined)) await cp(sandboxSource, sandboxDir, { recursive: true });
  const child = spawn(process.execPath, ['server.js'], {
    cwd: exampleDir,
    env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', PORT: '0', SANDBOX_DIR: sandboxDir, ...env },
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
    sandboxDir,
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
