import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { decodeEventStream, type AgentEvent } from '@agent-chat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeListener } from '../../adapters/node.js';
import { createChatServer, type ChatServer } from '../../http/chat-server.js';
import { startHttpTestMcpServer, TEST_TOOLS, type HttpTestMcpServer } from '../../mcp/__fixtures__/test-mcp-server.js';
import { mcpTools, type McpToolSet } from '../../mcp/mcp-tools.js';
import { openAITextResponse, openAIToolCallResponse, startFakeOpenAIServer, type FakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { aiSdkAgent } from './index.js';

// The tools of a real MCP server (in process, Streamable HTTP) in whole aiSdkAgent turns over
// HTTP, as mcp/mcp-turn.test.ts does for Claude: MCP tools are our tools, for any agent.

let fake: FakeOpenAIServer;
let mcpServer: HttpTestMcpServer;
let mcp: McpToolSet;
let chat: ChatServer;
let http: Server;
let base: string;

async function start(): Promise<void> {
  mcpServer = await startHttpTestMcpServer();
  mcp = await mcpTools({ url: mcpServer.url, name: 'notes' });
  fake = await startFakeOpenAIServer();
  const provider = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test-key', includeUsage: true });
  chat = createChatServer({
    agent: aiSdkAgent({ model: provider('fake-model'), tools: mcp.tools }),
    logger: { warn: () => {}, error: () => {}, info: () => {} },
    autoTitle: false,
  });
  http = createServer(createNodeListener(chat));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
}

afterEach(async () => {
  await chat?.close();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await mcp?.close();
  await mcpServer?.kill();
  await fake?.close();
});

async function chatPost(sessionId: string, body: unknown): Promise<AgentEvent[]> {
  const response = await fetch(`${base}/chat/${sessionId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const events: AgentEvent[] = [];
  const reader = decodeEventStream(response.body!).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) events.push(next.value.event);
  return events;
}

async function createSession(): Promise<string> {
  return ((await (await fetch(`${base}/session`, { method: 'POST' })).json()) as { id: string }).id;
}

describe('aiSdkAgent with MCP tools', () => {
  it('calls two tools of an MCP server at once; progress streams as tool_log; results go back to the model', async () => {
    await start();
    fake.enqueue(
      openAIToolCallResponse([
        { id: 'call_echo', name: 'echo', input: { text: 'hi' } },
        { id: 'call_count', name: 'count', input: { to: 2 } },
      ]),
      openAITextResponse(['Both done.']),
    );

    const events = await chatPost(await createSession(), { text: 'go' });

    // The model got the MCP server's own JSON Schemas.
    const sent = fake.requests[0]!.body.tools as { function: { name: string; parameters: unknown } }[];
    expect(sent.map((t) => t.function.name)).toEqual(TEST_TOOLS.map((t) => t.name));
    expect(sent[0]!.function.parameters).toEqual(TEST_TOOLS[0]!.inputSchema);
    expect(events.filter((e) => e.type === 'tool_log').map((e) => (e as Extract<AgentEvent, { type: 'tool_log' }>).toolCallId)).toEqual([
      'call_count',
      'call_count',
      'call_count',
    ]);
    expect(events.flatMap((e) => (e.type === 'tool_output' ? [[e.toolCallId, e.output, e.isError]] : []))).toEqual([
      ['call_echo', 'echo: hi', false],
      ['call_count', 'counted to 2', false],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(fake.requests[1]!.body.messages.slice(-2)).toEqual([
      { role: 'tool', tool_call_id: 'call_echo', content: 'echo: hi' },
      { role: 'tool', tool_call_id: 'call_count', content: 'counted to 2' },
    ]);
  });

  it('a destructive MCP tool asks for approval; the edited input is what the MCP server gets', async () => {
    await start();
    fake.enqueue(openAIToolCallResponse([{ id: 'call_del', name: 'delete_note', input: { title: 'groceries' } }]), openAITextResponse(['Deleted.']));
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'delete my note' });
    expect(first.at(-1)).toMatchObject({ type: 'approval_required', tools: [{ toolCallId: 'call_del', name: 'delete_note' }] });
    expect(mcpServer.record.calls).toEqual([]);

    const second = await chatPost(sessionId, { approvals: [{ toolCallId: 'call_del', decision: 'approve', input: { title: 'old groceries' } }] });

    expect(second.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(mcpServer.record.calls).toEqual([{ name: 'delete_note', arguments: { title: 'old groceries' } }]);
    expect(fake.requests[1]!.body.messages[1].tool_calls[0].function.arguments).toBe('{"title":"old groceries"}');
  });
});
