import { link, mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoToolSet } from './demo/demo-tools.js';
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

describe('links in the sandbox: no tool follows one, none reaches a file outside', () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };
  let box: string;
  let away: string;
  beforeAll(async () => {
    box = await mkdtemp(path.join(tmpdir(), 'agent-chat-links-'));
    away = await mkdtemp(path.join(tmpdir(), 'agent-chat-away-'));
    await writeFile(path.join(away, 'secret.txt'), 'secret');
    await mkdir(path.join(box, 'sub'));
    await writeFile(path.join(box, 'sub', 'file.txt'), 'inside');
    // A dangling link to a file outside, and one to a folder outside that does not exist yet.
    await symlink(path.join(away, 'planted.txt'), path.join(box, 'dangling.txt'));
    await symlink(path.join(away, 'not-yet'), path.join(box, 'dangling-dir'));
    // A relative dangling link, and a dangling link in a subfolder.
    await symlink('../../' + path.basename(away) + '/relative.txt', path.join(box, 'sub', 'rel.txt'));
    // A folder link to outside, in an intermediate component.
    await symlink(away, path.join(box, 'sub', 'out'));
    // A hard link to a file outside.
    await link(path.join(away, 'secret.txt'), path.join(box, 'hard.txt'));
    // A link to a file inside is refused too: the tools follow no link at all.
    await symlink(path.join(box, 'sub', 'file.txt'), path.join(box, 'alias.txt'));
  });
  afterAll(async () => {
    await rm(box, { recursive: true, force: true });
    await rm(away, { recursive: true, force: true });
  });

  async function outsideFiles(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        found.push(path.relative(away, path.join(dir, entry.name)));
        if (entry.isDirectory()) await walk(path.join(dir, entry.name));
      }
    };
    await walk(away);
    return found.sort();
  }

  it.each([
    'dangling.txt',
    'dangling-dir/x.txt',
    'dangling-dir/deeper/x.txt',
    'sub/rel.txt',
    'sub/out/secret.txt',
    'sub/out/new.txt',
    'sub/out/new/deep.txt',
    'hard.txt',
    'alias.txt',
  ])('write_file %j is refused and writes nothing outside', async (file) => {
    const tools = demoToolSet({ sandboxDir: box });
    const result = await runToolCall(tools.writeFile, { path: file, content: 'pwned' }, ctx);
    expect(result.isError, JSON.stringify(result.output)).toBe(true);
    expect(await outsideFiles()).toEqual(['secret.txt']);
    expect(await readFile(path.join(away, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it.each(['dangling.txt', 'sub/rel.txt', 'sub/out/secret.txt', 'hard.txt', 'alias.txt'])('read_file %j is refused', async (file) => {
    const tools = demoToolSet({ sandboxDir: box });
    const result = await runToolCall(tools.readFile, { path: file }, ctx);
    expect(result.isError).toBe(true);
    expect(String(result.output)).not.toContain('secret');
  });

  it.each(['sub/out', 'dangling-dir'])('list_files %j is refused', async (folder) => {
    const tools = demoToolSet({ sandboxDir: box });
    const result = await runToolCall(tools.listFiles, { path: folder }, ctx);
    expect(result.isError).toBe(true);
  });

  it('research reads no hard-linked file', async () => {
    const tools = demoToolSet({ sandboxDir: box });
    const result = await runToolCall(tools.research, { question: 'q' }, { ...ctx, log: () => {} } as never);
    expect(result.isError).toBe(false);
    expect(String(result.output)).not.toContain('hard.txt');
  });

  it('still reads, writes and overwrites plain files, and lists without links', async () => {
    const tools = demoToolSet({ sandboxDir: box });
    expect(await runToolCall(tools.readFile, { path: 'sub/file.txt' }, ctx)).toEqual({ isError: false, output: 'inside' });
    expect((await runToolCall(tools.writeFile, { path: 'new/deep/x.txt', content: 'one two' }, ctx)).isError).toBe(false);
    expect((await runToolCall(tools.writeFile, { path: 'new/deep/x.txt', content: 'three' }, ctx)).isError).toBe(false);
    expect(await readFile(path.join(box, 'new', 'deep', 'x.txt'), 'utf8')).toBe('three');
    const list = await runToolCall(tools.listFiles, { path: 'sub' }, ctx);
    expect(list).toEqual({ isError: false, output: { path: 'sub', entries: [{ name: 'file.txt', type: 'file', size: 6 }] } });
  });
});

describe('tool errors name paths relative to the sandbox, never the server\'s folders', () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };

  it.each([
    ['readFile', { path: 'sub' }, /"sub" is a folder/],
    ['readFile', { path: '.' }, /"\." is a folder/],
    ['readFile', { path: 'missing.txt' }, /"missing\.txt" does not exist/],
    ['readFile', { path: 'sub/file.txt/x' }, /not a folder|does not exist/],
    ['writeFile', { path: 'sub', content: 'x' }, /"sub" is a folder/],
    ['writeFile', { path: 'sub/file.txt/x', content: 'x' }, /not a folder/],
    ['listFiles', { path: 'sub/file.txt' }, /not a folder/],
    ['listFiles', { path: 'nope' }, /"nope" does not exist/],
  ] as const)('%s %j', async (tool, input, message) => {
    const tools = demoToolSet({ sandboxDir: root });
    const result = await runToolCall(tools[tool] as never, input, ctx);
    expect(result.isError).toBe(true);
    expect(String(result.output)).toMatch(message);
    expect(String(result.output)).not.toContain(root);
    expect(String(result.output)).not.toContain(tmpdir());
    expect(String(result.output)).not.toMatch(/EISDIR|ENOENT|ENOTDIR|open '/);
  });
});

it('a sandbox folder that is missing is said so, without its absolute path, by every file tool', async () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal, log: () => {} };
  const missing = path.join(tmpdir(), 'agent-chat-missing-sandbox', 'nowhere');
  const tools = demoToolSet({ sandboxDir: missing });
  for (const [tool, input] of [
    [tools.listFiles, {}],
    [tools.readFile, { path: 'a.txt' }],
    [tools.writeFile, { path: 'a.txt', content: 'x' }],
    [tools.research, {}],
  ] as const) {
    const result = await runToolCall(tool as never, input, ctx as never);
    expect(result.isError, tool.name).toBe(true);
    expect(String(result.output), tool.name).not.toContain(tmpdir());
  }
});

it('a folder swapped for a link to outside while files are written: nothing is left outside', async () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };
  const box = await mkdtemp(path.join(tmpdir(), 'agent-chat-race-'));
  const away = await mkdtemp(path.join(tmpdir(), 'agent-chat-race-away-'));
  try {
    const tools = demoToolSet({ sandboxDir: box });
    const folder = path.join(box, 'flip');
    let flipping = true;
    let flips = 0;
    const flipper = (async () => {
      while (flipping) {
        // A write may land in the folder while it is being removed: try again next round.
        await rm(folder, { recursive: true, force: true }).catch(() => {});
        if (flips++ % 2 === 0) await mkdir(folder).catch(() => {});
        else await symlink(away, folder).catch(() => {});
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const result = await runToolCall(tools.writeFile, { path: `flip/f${i}.txt`, content: 'x' }, ctx);
      if (result.isError) refused++;
    }
    flipping = false;
    await flipper;
    expect(flips).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(0);
    expect(await readdir(away)).toEqual([]);
  } finally {
    await rm(box, { recursive: true, force: true });
    await rm(away, { recursive: true, force: true });
  }
});

it('a folder swapped for a link to outside while it is listed: no listing shows what is outside', async () => {
  const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };
  const box = await mkdtemp(path.join(tmpdir(), 'agent-chat-race-'));
  const away = await mkdtemp(path.join(tmpdir(), 'agent-chat-race-away-'));
  try {
    await writeFile(path.join(away, 'outside-secret.txt'), 'secret');
    const tools = demoToolSet({ sandboxDir: box });
    const folder = path.join(box, 'flip');
    let flipping = true;
    let flips = 0;
    const flipper = (async () => {
      while (flipping) {
        await rm(folder, { recursive: true, force: true }).catch(() => {});
        if (flips++ % 2 === 0) await mkdir(folder).catch(() => {});
        else await symlink(away, folder).catch(() => {});
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const seen = new Set<string>();
    for (let i = 0; flips < 400 && i < 20_000; i++) {
      const result = await runToolCall(tools.listFiles, { path: 'flip' }, ctx);
      if (!result.isError) for (const entry of (result.output as { entries: { name: string }[] }).entries) seen.add(entry.name);
    }
    flipping = false;
    await flipper;
    expect(flips).toBeGreaterThan(10);
    expect([...seen]).toEqual([]);
  } finally {
    await rm(box, { recursive: true, force: true });
    await rm(away, { recursive: true, force: true });
  }
});
