import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoToolSet } from './demo-tools.js';
import { SandboxPathError, resolveSandboxPath } from './sandbox-path.js';
import { runToolCall } from './tool.js';

let root: string;
let outside: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agent-chat-root-'));
  outside = await mkdtemp(path.join(tmpdir(), 'agent-chat-outside-'));
  await mkdir(path.join(root, 'sub'));
  await writeFile(path.join(root, 'sub', 'file.txt'), 'inside');
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  await symlink(outside, path.join(root, 'escape'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('resolveSandboxPath', () => {
  it('resolves paths inside the sandbox, existing or not', async () => {
    const real = await resolveSandboxPath(root, '.');
    expect(await resolveSandboxPath(root, 'sub/file.txt')).toBe(path.join(real, 'sub', 'file.txt'));
    expect(await resolveSandboxPath(root, 'sub/../sub/new/deep.txt')).toBe(path.join(real, 'sub', 'new', 'deep.txt'));
    expect(await resolveSandboxPath(root, '..notes.md')).toBe(path.join(real, '..notes.md'));
  });

  it.each(['/etc/passwd', '../secret.txt', 'sub/../../x', 'C:\\Windows', 'a\0b', 'escape/secret.txt', 'escape/new.txt'])(
    'refuses %j',
    async (relative) => {
      await expect(resolveSandboxPath(root, relative)).rejects.toBeInstanceOf(SandboxPathError);
    },
  );
});

describe('demo tools in the sandbox', () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };

  it('turn escapes into clear tool errors', async () => {
    const tools = demoToolSet({ sandboxDir: root });
    const read = await runToolCall(tools.readFile, { path: '../secret.txt' }, ctx);
    expect(read).toEqual({ isError: true, output: expect.stringMatching(/outside the sandbox/) });
    const absolute = await runToolCall(tools.writeFile, { path: path.join(outside, 'x.txt'), content: 'x' }, ctx);
    expect(absolute).toEqual({ isError: true, output: expect.stringMatching(/absolute/) });
    const viaLink = await runToolCall(tools.readFile, { path: 'escape/secret.txt' }, ctx);
    expect(viaLink.isError).toBe(true);
  });

  it('reads, lists and writes inside', async () => {
    const tools = demoToolSet({ sandboxDir: root });
    expect(await runToolCall(tools.readFile, { path: 'sub/file.txt' }, ctx)).toEqual({ isError: false, output: 'inside' });
    const write = await runToolCall(tools.writeFile, { path: 'out/new.txt', content: 'héllo' }, ctx);
    expect(write).toEqual({ isError: false, output: { path: 'out/new.txt', bytesWritten: 6 } });
    const list = await runToolCall(tools.listFiles, {}, ctx);
    // Symlinks are not listed: they could lead out of the sandbox.
    expect((list.output as { entries: { name: string }[] }).entries.map((e) => e.name)).toEqual(['out', 'sub']);
  });
});
