import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { decodeEventStream, type AgentEvent } from '@agent-chat/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener } from '../adapters/node.js';
import { anthropicAgent } from '../agents/anthropic/index.js';
import { createChatServer, type ChatServer } from '../http/chat-server.js';
import { startFakeAnthropicServer, textResponse, toolUseResponse, type FakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { bundleStdioMcpServer } from './__fixtures__/bundle-stdio-server.js';
import { startHttpTestMcpServer, TEST_TOOLS, type HttpTestMcpServer } from './__fixtures__/test-mcp-server.js';
import { mcpTools, type McpToolSet } from './mcp-tools.js';

// Whole turns through the real chat server over HTTP: Claude (the real SDK
// against the fake Messages API) calls the tools of a real MCP server.

let fake: FakeAnthropicServer;
let mcpServer: HttpTestMcpServer | undefined;
let mcp: McpToolSet | undefined;
let chat: ChatServer;
let http: Server;
let base: string;
let stdio: { file: string; cleanup(): Promise<void> };

beforeAll(async () => {
  stdio = await bundleStdioMcpServer();
});
afterAll(() => stdio.cleanup());
afterEach(async () => {
  await chat?.close();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await mcp?.close();
  await mcpServer?.kill();
  await fake.close();
  mcp = undefined;
  mcpServer = undefined;
});

async function start(tools: McpToolSet): Promise<void> {
  mcp = tools;
  fake = await startFakeAnthropicServer();
  const client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
  chat = createChatServer({
    agent: anthropicAgent({ client, model: 'claude-haiku-4-5', tools: tools.tools }),
    logger: { warn: () => {}, error: () => {}, info: () => {} },
    autoTitle: false,
  });
  http = createServer(createNodeListener(chat));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
}

async function createSession(): Promise<string> {
  const response = await fetch(`${base}/session`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** POSTs to /chat/:id and reads the SSE answer to its end, calling `onEvent` on each event as it comes. */
async function chatPost(sessionId: string, body: unknown, onEvent?: (event: AgentEvent) => void): Promise<AgentEvent[]> {
  const response = await fetch(`${base}/chat/${sessionId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const events: AgentEvent[] = [];
  const reader = decodeEventStream(response.body!).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    events.push(next.value.event);
    onEvent?.(next.value.event);
  }
  return events;
}

function ofType<T extends AgentEvent['type']>(events: AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}

/** The tool_result blocks of the last request the fake got. */
function lastToolResults(): { tool_use_id: string; content: string; is_error?: boolean }[] {
  const messages = fake.requests.at(-1)!.body.messages as { role: string; content: unknown }[];
  const content = messages.at(-1)!.content;
  return Array.isArray(content) ? content.filter((b: { type: string }) => b.type === 'tool_result') : [];
}

describe('MCP tools in a turn', () => {
  it('Claude calls two tools of an HTTP MCP server at once; progress streams as tool_log; results go back to the model', async () => {
    mcpServer = await startHttpTestMcpServer({ pageSize: 2 });
    await start(await mcpTools({ url: mcpServer.url, name: 'notes' }, { prefix: 'notes' }));
    fake.enqueue(
      toolUseResponse([
        { id: 'toolu_echo', name: 'notes_echo', input: { text: 'hi' } },
        { id: 'toolu_count', name: 'notes_count', input: { to: 2 } },
      ]),
      textResponse(['Both done.']),
    );
    const events = await chatPost(await createSession(), { text: 'go' });

    const sent = fake.requests[0]!.body.tools as { name: string; input_schema: unknown }[];
    expect(sent.map((t) => t.name)).toEqual(TEST_TOOLS.map((t) => `notes_${t.name}`));
    expect(sent[0]!.input_schema).toEqual(TEST_TOOLS[0]!.inputSchema);
    expect(ofType(events, 'approval_required')).toEqual([]);
    expect(ofType(events, 'tool_log').map((e) => [e.toolCallId, e.agent.status, e.agent.step])).toEqual([
      ['toolu_count', 'running', 'Counting (1/2)'],
      ['toolu_count', 'running', 'Counting (2/2)'],
      ['toolu_count', 'done', 'Counting (2/2)'],
    ]);
    expect(ofType(events, 'tool_output').map((e) => [e.toolCallId, e.output, e.isError])).toEqual([
      ['toolu_echo', 'echo: hi', false],
      ['toolu_count', 'counted to 2', false],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(lastToolResults()).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_echo', content: 'echo: hi' },
      { type: 'tool_result', tool_use_id: 'toolu_count', content: 'counted to 2' },
    ]);
  });

  it('a destructive tool asks for approval; the edited input is what the MCP server gets', async () => {
    mcpServer = await startHttpTestMcpServer();
    await start(await mcpTools({ url: mcpServer.url }));
    fake.enqueue(toolUseResponse([{ id: 'toolu_del', name: 'delete_note', input: { title: 'groceries' } }]), textResponse(['Deleted.']));
    const sessionId = await createSession();
    const first = await chatPost(sessionId, { text: 'delete my note' });
    const [approval] = ofType(first, 'approval_required');
    expect(approval!.tools).toEqual([
      expect.objectContaining({ toolCallId: 'toolu_del', name: 'delete_note', input: { title: 'groceries' }, inputSchema: TEST_TOOLS[1]!.inputSchema }),
    ]);
    expect(mcpServer.record.calls).toEqual([]);

    const bad = await fetch(`${base}/chat/${sessionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approvals: [{ toolCallId: 'toolu_del', decision: 'approve', input: { title: 7 } }] }),
    });
    expect(bad.status).toBe(422);

    const second = await chatPost(sessionId, {
      approvals: [{ toolCallId: 'toolu_del', decision: 'approve', input: { title: 'old groceries' } }],
    });
    expect(ofType(second, 'tool_output').map((e) => e.output)).toEqual(['deleted "old groceries"']);
    expect(mcpServer.record.calls).toEqual([{ name: 'delete_note', arguments: { title: 'old groceries' } }]);
    expect(second.at(-1)).toMatchObject({ type: 'turn_complete' });
  });

  it('an image result is described and an isError result is a tool error the model sees', async () => {
    mcpServer = await startHttpTestMcpServer();
    await start(await mcpTools({ url: mcpServer.url }));
    fake.enqueue(
      toolUseResponse([
        { id: 'toolu_snap', name: 'snapshot', input: {} },
        { id: 'toolu_fail', name: 'fail', input: {} },
      ]),
      textResponse(['Noted.']),
    );
    const events = await chatPost(await createSession(), { text: 'snap' });
    const outputs = ofType(events, 'tool_output');
    expect(outputs[0]).toMatchObject({ toolCallId: 'toolu_snap', isError: false, output: expect.stringContaining('[image: image/png, 2 KB]') });
    expect(outputs[1]).toMatchObject({ toolCallId: 'toolu_fail', isError: true, output: 'disk is full' });
    expect(lastToolResults()[1]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_fail', content: 'disk is full', is_error: true });
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
  });

  it('killing a stdio MCP server mid-call ends the tool with an error, and the turn goes on', async () => {
    await start(await mcpTools({ command: process.execPath, args: [stdio.file] }));
    fake.enqueue(toolUseResponse([{ id: 'toolu_hang', name: 'hang', input: {} }]), textResponse(['The server died; sorry.']));
    let killed = 0;
    const events = await chatPost(await createSession(), { text: 'hang' }, (event) => {
      const pid = event.type === 'tool_log' ? Number(/pid (\d+)/.exec(event.agent.step ?? '')?.[1]) : 0;
      if (pid && !killed) {
        killed = pid;
        process.kill(pid, 'SIGKILL');
      }
    });
    expect(killed).toBeGreaterThan(0);
    expect(ofType(events, 'tool_output')).toEqual([
      expect.objectContaining({
        toolCallId: 'toolu_hang',
        isError: true,
        output: 'MCP server "test-mcp" went away (its connection closed). The next call starts it again.',
      }),
    ]);
    expect(ofType(events, 'tool_log').at(-1)!.agent.status).toBe('error');
    expect(lastToolResults()[0]).toMatchObject({ tool_use_id: 'toolu_hang', is_error: true });
    expect(ofType(events, 'assistant_chunk').map((e) => e.delta).join('')).toBe('The server died; sorry.');
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
  });

  it('interrupting the turn mid-call cancels the MCP request', async () => {
    mcpServer = await startHttpTestMcpServer();
    await start(await mcpTools({ url: mcpServer.url }));
    fake.enqueue(toolUseResponse([{ id: 'toolu_hang', name: 'hang', input: {} }]));
    const sessionId = await createSession();
    const events = await chatPost(sessionId, { text: 'hang' }, (event) => {
      if (event.type === 'tool_log') void fetch(`${base}/interrupt/${sessionId}`, { method: 'POST' });
    });
    expect(events.at(-1)).toMatchObject({ type: 'interrupted' });
    await expect.poll(() => mcpServer!.record.cancelled).toEqual(['hang']);
  });

  it('an HTTP MCP server going down mid-call ends the tool with an error, and the turn goes on', async () => {
    mcpServer = await startHttpTestMcpServer();
    await start(await mcpTools({ url: mcpServer.url, name: 'remote' }));
    fake.enqueue(toolUseResponse([{ id: 'toolu_hang', name: 'hang', input: {} }]), textResponse(['It went away.']));
    const events = await chatPost(await createSession(), { text: 'hang' }, (event) => {
      if (event.type === 'tool_log' && event.agent.status === 'running') void mcpServer!.kill();
    });
    expect(ofType(events, 'tool_output')).toEqual([
      expect.objectContaining({ isError: true, output: expect.stringMatching(/^MCP server "remote" went away during the call: /) }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
  });
});
