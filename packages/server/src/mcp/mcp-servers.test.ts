import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toolNeedsApproval } from '../agents/tool.js';
import { startHttpTestMcpServer, type HttpTestMcpServer } from './__fixtures__/test-mcp-server.js';
import { connectMcpServers, parseMcpServers } from './mcp-servers.js';

describe('parseMcpServers (the MCP_SERVERS format)', () => {
  it('reads a JSON object of servers by name, as in the mcpServers of Claude Desktop and Cursor', () => {
    const value = JSON.stringify({
      fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'], env: { A: '1' }, cwd: 'work' },
      docs: { type: 'http', url: 'http://127.0.0.1:8931/mcp', headers: { authorization: 'Bearer x' }, prefix: '', approval: { search: false } },
    });
    expect(parseMcpServers(value, '/srv')).toEqual([
      { name: 'fs', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'], env: { A: '1' }, cwd: '/srv/work' },
      { name: 'docs', url: 'http://127.0.0.1:8931/mcp', headers: { authorization: 'Bearer x' }, prefix: '', approval: { search: false } },
    ]);
  });

  it('reads a JSON file, with or without the mcpServers key; relative paths start at the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'agent-chat-mcp-'));
    try {
      await writeFile(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { local: { command: 'node', args: ['server.js'], cwd: 'sub' }, here: { command: 'node' } } }));
      expect(parseMcpServers('mcp.json', dir)).toEqual([
        { name: 'local', command: 'node', args: ['server.js'], cwd: path.join(dir, 'sub') },
        { name: 'here', command: 'node', cwd: dir },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong', () => {
    expect(() => parseMcpServers('{"fs": {"args": []}}')).toThrow(/^MCP_SERVERS must map server names to .*fs/);
    expect(() => parseMcpServers('[{"command": "x"}]')).toThrow(/^MCP_SERVERS must map server names/);
    expect(() => parseMcpServers('{"x": {"url": "ftp://a"}}')).toThrow(/MCP_SERVERS must map server names/);
    expect(() => parseMcpServers('{"a b": {"command": "x"}}')).toThrow('MCP_SERVERS: "a b" is not a server name (letters, digits, _ and - only).');
    expect(() => parseMcpServers('{not json')).toThrow(/^MCP_SERVERS is not valid JSON/);
    expect(() => parseMcpServers('no-such-file.json', tmpdir())).toThrow(/^MCP_SERVERS is neither JSON .* nor a readable file: ENOENT/);
  });
});

describe('connectMcpServers', () => {
  const servers: HttpTestMcpServer[] = [];
  afterEach(async () => void (await Promise.all(servers.splice(0).map((s) => s.kill()))));

  it('connects several servers, each tool prefixed with its server name, with per-server approval', async () => {
    servers.push(await startHttpTestMcpServer(), await startHttpTestMcpServer());
    const set = await connectMcpServers(
      parseMcpServers(JSON.stringify({ a: { url: servers[0]!.url }, b: { url: servers[1]!.url, approval: { echo: true } } })),
    );
    try {
      expect(set.servers.map((s) => [s.name, s.tools.length])).toEqual([
        ['a', 7],
        ['b', 7],
      ]);
      const echoes = set.tools.filter((t) => t.name.endsWith('_echo'));
      expect(echoes.map((t) => [t.name, toolNeedsApproval(t, {})])).toEqual([
        ['a_echo', false],
        ['b_echo', true],
      ]);
    } finally {
      await set.close();
    }
  });

  it('fails when one server fails, naming it', async () => {
    servers.push(await startHttpTestMcpServer());
    await expect(
      connectMcpServers([
        { name: 'up', url: servers[0]!.url },
        { name: 'down', command: 'agent-chat-no-such-command' },
      ]),
    ).rejects.toMatchObject({ code: 'connect_failed', message: expect.stringContaining('MCP server "down"') });
  });
});
