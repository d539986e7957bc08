import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener } from '../../adapters/node.js';
import { createSession, startTestServer, waitFor, type TestServer } from '../../__fixtures__/harness.js';
import { scriptedAgent, type ScriptedAgent } from '../../__fixtures__/scripted-agent.js';
import { aiSdkUiHandler } from './handler.js';

let server: TestServer;
let endpoint: Server;
let api: string;
let agent: ScriptedAgent;

beforeAll(async () => {
  agent = scriptedAgent();
  server = await startTestServer({ agent });
  endpoint = createServer(createNodeListener(aiSdkUiHandler(server.chat)));
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/ui-chat`;
});

afterAll(async () => {
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
  await server.close();
});

/** Reads a UI message stream as useChat does, on top of `message` when it continues one. */
async function read(stream: ReadableStream<UIMessageChunk>, message?: UIMessage): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const m of readUIMessageStream({ stream, ...(message ? { message } : {}), terminateOnError: true })) last = m;
  return last!;
}

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const texts = (message: UIMessage) => message.parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));

describe('aiSdkUiHandler with the AI SDK DefaultChatTransport', () => {
  it('answers a text turn as a UI message stream', async () => {
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const stream = await transport.sendMessages({ chatId: 'chat-text', messages: [user('u1', 'hello')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const message = await read(stream);
    expect(message.role).toBe('assistant');
    expect(texts(message)).toEqual(['echo: hello']);
  });

  it('approves a tool with edited input through addToolApprovalResponse\'s message, and rejects one', async () => {
    const sessionId = await createSession(server.base);
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const u1 = user('u1', 'approve it');
    const asked = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    const tool = asked.parts.find((p) => p.type === 'dynamic-tool')!;
    expect(tool).toMatchObject({ state: 'approval-requested', toolName: 'write', input: { path: 'note.txt' } });
    // What addToolApprovalResponse does to the message before useChat sends it back.
    const answered: UIMessage = {
      ...asked,
      parts: asked.parts.map((p) => (p === tool ? { ...tool, state: 'approval-responded', approval: { id: (tool as { approval: { id: string } }).approval.id, approved: true } } : p)) as UIMessage['parts'],
    };
    const stream = await transport.sendMessages({
      chatId: sessionId,
      messages: [u1, answered],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
      body: { approvalInputs: { [(tool as { toolCallId: string }).toolCallId]: { path: 'edited.txt' } } },
    });
    const done = await read(stream, answered);
    expect(done.id).toBe(asked.id);
    const tools = done.parts.filter((p) => p.type === 'dynamic-tool');
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ state: 'output-available', output: 'written' });
    expect(texts(done)).toEqual(['done (approve)']);
    const history = (await (await fetch(`${server.base}/session/${sessionId}/messages`)).json()) as { messages: Array<{ parts: Array<Record<string, unknown>> }> };
    expect(history.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call')).toMatchObject({ input: { path: 'edited.txt' }, state: 'done' });

    // A rejection reaches the agent (the scripted agent reports it in its answer).
    const u2 = user('u2', 'approve another');
    const asked2 = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1, done, u2], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    const tool2 = asked2.parts.find((p) => p.type === 'dynamic-tool')!;
    const denied: UIMessage = {
      ...asked2,
      parts: asked2.parts.map((p) => (p === tool2 ? { ...tool2, state: 'approval-responded', approval: { id: (tool2 as { approval: { id: string } }).approval.id, approved: false, reason: 'no' } } : p)) as UIMessage['parts'],
    };
    const after = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1, done, u2, denied], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }), denied);
    expect(texts(after)).toEqual(['done (reject)']);
  });

  it('resume: 204 when nothing runs; mid-turn, the running turn from its start, each part once', async () => {
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const sessionId = await createSession(server.base);
    expect(await transport.reconnectToStream({ chatId: sessionId })).toBeNull();

    const abort = new AbortController();
    const first = await transport.sendMessages({ chatId: sessionId, messages: [user('u1', 'hold that')], trigger: 'submit-message', messageId: undefined, abortSignal: abort.signal });
    const reader = first.getReader();
    // Read until the first text, then "reload": the connection goes away.
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    abort.abort();
    const resumed = await transport.reconnectToStream({ chatId: sessionId });
    expect(resumed).not.toBeNull();
    agent.release();
    const message = await read(resumed!);
    expect(texts(message)).toEqual(['holding… released']);
    expect(message.parts.filter((p) => p.type === 'text')).toHaveLength(1);
    await waitFor(async () => (await transport.reconnectToStream({ chatId: sessionId })) === null);
  });

  it('POST .../stop stops the turn: the stream ends with abort', async () => {
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const stream = await transport.sendMessages({ chatId: 'chat-stop', messages: [user('u1', 'hold still')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const chunks: UIMessageChunk[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      if (value.type === 'text-delta') {
        const stopped = await fetch(`${api}/chat-stop/stop`, { method: 'POST' });
        expect(await stopped.json()).toEqual({ interrupted: true });
      }
    }
    expect(chunks.at(-1)).toEqual({ type: 'abort', reason: 'interrupted' });
  });

  it('regenerate-message answers the last user message again, in place of the last answer', async () => {
    const sessionId = await createSession(server.base);
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const u1 = user('u1', 'first');
    const a1 = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    const again = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1], trigger: 'regenerate-message', messageId: a1.id, abortSignal: undefined }));
    expect(texts(again)).toEqual(['echo: first']);
    const history = (await (await fetch(`${server.base}/session/${sessionId}/messages`)).json()) as { messages: Array<{ role: string }> };
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

    // Regenerating an earlier answer cuts what came after it.
    const u2 = user('u2', 'second');
    const a2 = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1, again, u2], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    expect(texts(a2)).toEqual(['echo: second']);
    const redone = await read(await transport.sendMessages({ chatId: sessionId, messages: [u1], trigger: 'regenerate-message', messageId: again.id, abortSignal: undefined }));
    expect(texts(redone)).toEqual(['echo: first']);
    const after = (await (await fetch(`${server.base}/session/${sessionId}/messages`)).json()) as { messages: Array<{ role: string }> };
    expect(after.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});

describe('aiSdkUiHandler on the demo agent (every event type, live)', () => {
  it('a whole demo turn through DefaultChatTransport: reasoning, tools, research data parts, approvals answered', async () => {
    const demo = await startTestServer();
    const demoEndpoint = createServer(createNodeListener(aiSdkUiHandler(demo.chat)));
    await new Promise<void>((resolve) => demoEndpoint.listen(0, '127.0.0.1', resolve));
    try {
      const transport = new DefaultChatTransport<UIMessage>({ api: `http://127.0.0.1:${(demoEndpoint.address() as AddressInfo).port}/ui-chat` });
      const u1 = user('u1', 'What is 6 * 7?');
      let message = await read(await transport.sendMessages({ chatId: 'demo', messages: [u1], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
      for (let round = 0; round < 5; round++) {
        const asked = message.parts.filter((p) => p.type === 'dynamic-tool' && p.state === 'approval-requested');
        if (asked.length === 0) break;
        const answered: UIMessage = {
          ...message,
          parts: message.parts.map((p) =>
            (asked as UIMessage['parts']).includes(p) ? { ...p, state: 'approval-responded', approval: { id: (p as { approval: { id: string } }).approval.id, approved: true } } : p,
          ) as UIMessage['parts'],
        };
        message = await read(await transport.sendMessages({ chatId: 'demo', messages: [u1, answered], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }), answered);
      }
      const kinds = new Set(message.parts.map((p) => p.type));
      for (const kind of ['reasoning', 'text', 'dynamic-tool', 'data-research']) expect(kinds, kind).toContain(kind);
      const tools = message.parts.filter((p) => p.type === 'dynamic-tool');
      expect(tools.map((t) => t.state)).toEqual(tools.map(() => 'output-available'));
      expect(new Set(tools.map((t) => t.toolCallId)).size).toBe(tools.length);
    } finally {
      demoEndpoint.closeAllConnections();
      await new Promise((resolve) => demoEndpoint.close(resolve));
      await demo.close();
    }
  });
});
