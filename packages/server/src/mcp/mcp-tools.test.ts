import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf } from '@agent-chat/core';
import { runToolCall, toolInputJsonSchema, toolNeedsApproval, type Tool, type ToolContext } from '../agents/tool.js';
import { bundleStdioMcpServer } from './__fixtures__/bundle-stdio-server.js';
import { startHttpTestMcpServer, TEST_TOOLS, type HttpTestMcpServer } from './__fixtures__/test-mcp-server.js';
import { McpToolsError } from './mcp-error.js';
import { mcpToolNeedsApproval, mcpTools, type McpToolSet } from './mcp-tools.js';

let http: HttpTestMcpServer;
let stdio: { file: string; cleanup(): Promise<void> };
const open: McpToolSet[] = [];

beforeAll(async () => {
  stdio = await bundleStdioMcpServer();
});
afterAll(() => stdio.cleanup());
afterEach(async () => {
  await Promise.all(open.splice(0).map((set) => set.close()));
  await http?.kill();
});

async function connect(...args: Parameters<typeof mcpTools>): Promise<McpToolSet> {
  const set = await mcpTools(...args);
  open.push(set);
  return set;
}

function toolCtx(overrides: Partial<ToolContext> & { logs?: EventOf<'tool_log'>['agent'][] } = {}): ToolContext {
  const { logs, ...rest } = overrides;
  return {
    sessionId: 's1',
    toolCallId: 'call-1',
    signal: new AbortController().signal,
    log: (agent) => logs?.push(agent),
    ...rest,
  };
}

function byName(set: McpToolSet, name: string): Tool<Record<string, unknown>, string> {
  const tool = set.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${set.tools.map((t) => t.name).join(', ')}`);
  return tool;
}

describe('mcpTools over Streamable HTTP', () => {
  it('lists every page of tools and keeps each JSON Schema for the model', async () => {
    http = await startHttpTestMcpServer({ pageSize: 2 });
    const set = await connect({ url: http.url });
    expect(set.serverName).toBe('test-mcp');
    expect(set.tools.map((t) => t.name)).toEqual(TEST_TOOLS.map((t) => t.name));
    expect(http.record.listCursors).toEqual([undefined, '2', '4', '6']);
    expect(toolInputJsonSchema(byName(set, 'echo'))).toEqual(TEST_TOOLS[0]!.inputSchema);
  });

  it('chooses approval from the annotations, overridable per tool, and prefixes names', async () => {
    http = await startHttpTestMcpServer();
    expect(mcpToolNeedsApproval({ annotations: { readOnlyHint: true } })).toBe(false);
    expect(mcpToolNeedsApproval({ annotations: { readOnlyHint: true, destructiveHint: true } })).toBe(true);
    expect(mcpToolNeedsApproval({})).toBe(true);
    const set = await connect({ url: http.url }, { prefix: 'notes', approval: { echo: true, delete_note: false } });
    const needs = Object.fromEntries(set.tools.map((t) => [t.name, toolNeedsApproval(t, {})]));
    expect(needs).toMatchObject({ notes_echo: true, notes_delete_note: false, notes_info: true, notes_count: false, notes_fail: false });
    const byDefault = await connect({ url: http.url }, { filter: (tool) => tool.name !== 'hang' });
    expect(byDefault.tools.map((t) => [t.name, toolNeedsApproval(t, {})])).toEqual([
      ['echo', false],
      ['delete_note', true],
      ['info', true],
      ['count', false],
      ['snapshot', false],
      ['fail', false],
    ]);
  });

  it('validates input against the JSON Schema before calling, and sends the headers', async () => {
    http = await startHttpTestMcpServer();
    const set = await connect({ url: http.url, headers: { authorization: 'Bearer secret-1' } });
    const echo = byName(set, 'echo');
    expect(await runToolCall(echo, { text: 42 }, toolCtx())).toMatchObject({ isError: true, output: expect.stringMatching(/^Invalid input for echo: text: /) });
    expect(await runToolCall(echo, { text: 'hi', extra: 1 }, toolCtx())).toMatchObject({ isError: true });
    expect(await runToolCall(echo, { text: 'hi' }, toolCtx())).toEqual({ output: 'echo: hi', isError: false });
    expect(http.record.calls).toEqual([{ name: 'echo', arguments: { text: 'hi' } }]);
    expect(http.headers.every((h) => h.authorization === 'Bearer secret-1')).toBe(true);
  });

  it('close() ends the session on the server (HTTP DELETE); calls after it fail with a message', async () => {
    http = await startHttpTestMcpServer();
    const set = await mcpTools({ url: http.url, name: 'notes' });
    await set.close();
    expect(http.methods.at(-1)).toBe('DELETE');
    expect(await runToolCall(byName(set, 'echo'), { text: 'x' }, toolCtx())).toEqual({
      isError: true,
      output: 'The tools of MCP server "notes" were closed.',
    });
  });

  it('turns progress into tool_log updates, results into text, and isError into a tool error', async () => {
    http = await startHttpTestMcpServer();
    const set = await connect({ url: http.url, name: 'notes' });
    const logs: EventOf<'tool_log'>['agent'][] = [];
    expect(await runToolCall(byName(set, 'count'), { to: 3 }, toolCtx({ logs }))).toEqual({ output: 'counted to 3', isError: false });
    expect(logs.map((l) => [l.status, l.step])).toEqual([
      ['running', 'Counting (1/3)'],
      ['running', 'Counting (2/3)'],
      ['running', 'Counting (3/3)'],
      ['done', 'Counting (3/3)'],
    ]);
    expect(logs[0]).toMatchObject({ agentId: 'mcp-call-1', label: 'notes · count' });

    const snapshot = await runToolCall(byName(set, 'snapshot'), {}, toolCtx());
    expect(snapshot).toEqual({
      isError: false,
      output: [
        'snapshot taken',
        '[image: image/png, 2 KB]',
        '[resource: note://today, text/plain]\nbuy milk',
        '[resource: file:///data.bin, application/octet-stream, 10 B]',
      ].join('\n\n'),
    });
    expect(await runToolCall(byName(set, 'fail'), {}, toolCtx())).toEqual({ output: 'disk is full', isError: true });
  });

  it('cancels the request when the turn is interrupted', async () => {
    http = await startHttpTestMcpServer();
    const set = await connect({ url: http.url });
    const controller = new AbortController();
    const logs: EventOf<'tool_log'>['agent'][] = [];
    const call = runToolCall(byName(set, 'hang'), {}, toolCtx({ signal: controller.signal, log: (a) => { logs.push(a); controller.abort(); } }));
    await call;
    await expect.poll(() => http.record.cancelled).toEqual(['hang']);
  });

  it('fails a call with a clear error, not a hang, when the server goes away mid-call; the next call reconnects', async () => {
    http = await startHttpTestMcpServer();
    const set = await connect({ url: http.url, name: 'notes' });
    const started = Date.now();
    const result = runToolCall(byName(set, 'hang'), {}, toolCtx({ log: () => void http.kill() }));
    expect(await result).toEqual({ isError: true, output: expect.stringMatching(/^MCP server "notes" went away during the call: .*\. The next call reconnects\.$/) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await runToolCall(byName(set, 'echo'), { text: 'x' }, toolCtx())).toEqual({
      isError: true,
      output: expect.stringMatching(/^Could not connect to MCP server "notes" \(http:\/\/127\.0\.0\.1:\d+\/mcp\): .*ECONNREFUSED/),
    });
  });

  it('times out a call the server never answers', async () => {
    http = await startHttpTestMcpServer();
    const set = await connect({ url: http.url }, { timeoutMs: 300 });
    expect(await runToolCall(byName(set, 'hang'), {}, toolCtx())).toEqual({
      isError: true,
      output: 'MCP server "test-mcp" did not answer hang within 300 ms; the call was cancelled.',
    });
  });

  it('refuses a URL that is not one with invalid_config', async () => {
    await expect(mcpTools({ url: 'not a url' })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/^MCP server "not a url": Invalid URL/) });
  });

  it('fails to connect with connect_failed naming the server', async () => {
    http = await startHttpTestMcpServer();
    await http.kill();
    const error = await mcpTools({ url: http.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpToolsError);
    expect(error).toMatchObject({ code: 'connect_failed', message: expect.stringContaining(`Could not connect to MCP server "${http.url}"`) });
  });
});

describe('mcpTools over stdio', () => {
  const server = () => ({ command: process.execPath, args: [stdio.file], env: { PAGE_SIZE: '3' } });

  it('starts the process, lists its pages, calls a tool, and close() ends the process', async () => {
    const set = await mcpTools(server());
    expect(set.tools.map((t) => t.name)).toEqual(TEST_TOOLS.map((t) => t.name));
    const info = await runToolCall(byName(set, 'info'), {}, toolCtx());
    const pid = Number(/pid (\d+)/.exec(String(info.output))![1]);
    expect(isAlive(pid)).toBe(true);
    await set.close();
    await expect.poll(() => isAlive(pid)).toBe(false);
    expect(await runToolCall(byName(set, 'echo'), { text: 'x' }, toolCtx())).toEqual({
      isError: true,
      output: 'The tools of MCP server "test-mcp" were closed.',
    });
  });

  it('fails the call when the process is killed mid-call, and the next call starts it again', async () => {
    const set = await connect(server());
    let pid = 0;
    const result = await runToolCall(
      byName(set, 'hang'),
      {},
      toolCtx({
        log: (agent) => {
          pid = Number(/pid (\d+)/.exec(agent.step ?? '')?.[1]);
          if (agent.status === 'running') process.kill(pid, 'SIGKILL');
        },
      }),
    );
    expect(result).toEqual({
      isError: true,
      output: 'MCP server "test-mcp" went away (its connection closed). The next call starts it again.',
    });
    const again = await runToolCall(byName(set, 'info'), {}, toolCtx());
    expect(again.isError).toBe(false);
    expect(String(again.output)).not.toContain(`pid ${pid}`);
  });

  it('fails to start a missing command with connect_failed', async () => {
    await expect(mcpTools({ command: 'agent-chat-no-such-command' })).rejects.toMatchObject({
      code: 'connect_failed',
      message: expect.stringContaining('Could not connect to MCP server "agent-chat-no-such-command" (agent-chat-no-such-command): spawn agent-chat-no-such-command ENOENT'),
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
