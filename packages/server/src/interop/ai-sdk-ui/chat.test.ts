import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbstractChat, DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, type ChatInit, type UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener } from '../../adapters/node.js';
import { createSession, startTestServer, waitFor, type TestServer } from '../../__fixtures__/harness.js';
import { scriptedAgent, type ScriptedAgent } from '../../__fixtures__/scripted-agent.js';
import { aiSdkUiHandler } from './handler.js';

/** The AI SDK's Chat (what useChat wraps) with plain in-memory state, as in Node. */
class NodeChat extends AbstractChat<UIMessage> {
  constructor(init: Omit<ChatInit<UIMessage>, 'messages'>) {
    let messages: UIMessage[] = [];
    super({
      ...init,
      state: {
        status: 'ready',
        error: undefined,
        get messages() {
          return messages;
        },
        set messages(next) {
          messages = next;
        },
        pushMessage: (m) => void (messages = [...messages, m]),
        popMessage: () => void (messages = messages.slice(0, -1)),
        replaceMessage: (i, m) => void (messages = messages.map((old, j) => (j === i ? m : old))),
        snapshot: (thing) => structuredClone(thing),
      },
    });
  }
}

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

const texts = (message: UIMessage | undefined) => (message?.parts ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : []));

describe('the AI SDK Chat (useChat without React) on aiSdkUiHandler', () => {
  it('sends, asks for approval, resends automatically with the approval (edited input in the body), each part once', async () => {
    const sessionId = await createSession(server.base);
    const edits: Record<string, unknown> = {};
    const chat = new NodeChat({
      id: sessionId,
      transport: new DefaultChatTransport({ api, body: () => ({ approvalInputs: edits }) }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });
    await chat.sendMessage({ text: 'hello' });
    expect(texts(chat.lastMessage)).toEqual(['echo: hello']);

    await chat.sendMessage({ text: 'approve the write' });
    const tool = chat.lastMessage!.parts.find((p) => p.type === 'dynamic-tool')!;
    expect(tool.state).toBe('approval-requested');
    edits[tool.toolCallId] = { path: 'edited.txt' };
    await chat.addToolApprovalResponse({ id: (tool as { approval: { id: string } }).approval.id, approved: true });
    await waitFor(() => chat.status === 'ready' && texts(chat.lastMessage).length > 0);
    expect(chat.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const tools = chat.lastMessage!.parts.filter((p) => p.type === 'dynamic-tool');
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ state: 'output-available', output: 'written' });
    expect(texts(chat.lastMessage)).toEqual(['done (approve)']);
    const history = (await (await fetch(`${server.base}/session/${sessionId}/messages`)).json()) as { messages: Array<{ parts: Array<Record<string, unknown>> }> };
    expect(history.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call')).toMatchObject({ input: { path: 'edited.txt' } });
  });

  it('a reload mid-turn: a new Chat resumes the running turn, each part once', async () => {
    const sessionId = await createSession(server.base);
    const first = new NodeChat({ id: sessionId, transport: new DefaultChatTransport({ api }) });
    const sending = first.sendMessage({ text: 'hold it' });
    await waitFor(() => texts(first.lastMessage).join('').length > 0);
    await first.stop(); // the page goes away: the request is aborted, the turn goes on
    await sending;

    const reloaded = new NodeChat({ id: sessionId, transport: new DefaultChatTransport({ api }) });
    // useChat({ resume: true }) after loading the history: here the user's message, as the app would have it.
    reloaded.messages = [first.messages[0]!];
    const resuming = reloaded.resumeStream();
    await waitFor(() => texts(reloaded.lastMessage).join('').length > 0);
    agent.release();
    await resuming;
    await waitFor(() => reloaded.status === 'ready');
    expect(reloaded.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(texts(reloaded.lastMessage)).toEqual(['holding… released']);
  });
});
