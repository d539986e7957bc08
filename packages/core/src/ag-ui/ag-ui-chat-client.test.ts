import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript test helper without declarations
import { createScriptedAgUiAgent } from '../../../../test-support/ag-ui-scripted.mjs';
import { ChatSession } from '../chat-session.js';
import { AgUiChatClient, agUiThreadStorageKey } from './ag-ui-chat-client.js';

/*
 * ChatSession on AgUiChatClient against a scripted AG-UI agent (official
 * @ag-ui/core types, @ag-ui/encoder frames) over real HTTP on 127.0.0.1.
 */
interface ReceivedRun {
  input: { threadId: string; messages: { role: string; content?: unknown }[]; resume?: unknown[] };
  aborted: boolean;
}
let server: Server;
let url: string;
let runs: ReceivedRun[];

beforeAll(async () => {
  const agent = createScriptedAgUiAgent({ base: '/agent', chunkDelayMs: 1 });
  runs = agent.runs;
  server = createServer((req, res) => {
    if (!agent.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

async function open(storage = new MemoryStorage(), client = new AgUiChatClient({ url, storage })) {
  const session = new ChatSession({ client, storageKey: 'agent-chat:session:test', storage });
  session.connect();
  await expect.poll(() => session.ready).toBe(true);
  return { session, storage, client };
}

const threadRuns = (threadId: string) => runs.filter((r) => r.input.threadId === threadId);

describe('ChatSession on AgUiChatClient', () => {
  it('streams a text turn and sends the conversation as AG-UI messages on the next run', async () => {
    const { session } = await open();
    expect(await session.send('hello')).toBe(true);
    expect(session.state.status).toBe('idle');
    expect(session.state.messages.map((m) => [m.role, m.parts.map((p) => ('text' in p ? p.text : p.type)).join('')])).toEqual([
      ['user', 'hello'],
      ['assistant', 'You said: hello'],
    ]);
    expect(session.state.usage.session).toMatchObject({ inputTokens: 12, outputTokens: 7 });
    await session.send('again');
    const [, second] = threadRuns(session.sessionId!);
    expect(second!.input.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hello'],
      ['assistant', 'You said: hello'],
      ['user', 'again'],
    ]);
    session.disconnect();
  });

  it('answers an interrupt with a new run whose resume[] carries the edited input', async () => {
    const { session, storage, client } = await open();
    await session.send('please write the file');
    expect(session.state.status).toBe('awaiting_approval');
    expect(session.state.pendingApprovals).toMatchObject([{ name: 'write_file', input: { path: 'notes.txt', content: 'hello' }, reason: 'Write notes.txt?' }]);
    const toolCallId = session.state.pendingApprovals[0]!.toolCallId;

    // A reload while the interrupt waits: a new client and session find the thread and its interrupt.
    session.disconnect();
    const reloaded = await open(storage, new AgUiChatClient({ url, storage }));
    expect(reloaded.session.sessionId).toBe(session.sessionId);
    expect(reloaded.session.state.status).toBe('awaiting_approval');
    expect(client).not.toBe(reloaded.client);

    await reloaded.session.approve([{ toolCallId, decision: 'approve', input: { path: 'edited.txt', content: 'hi there' } }]);
    const resumed = threadRuns(session.sessionId!).at(-1)!;
    expect(resumed.input.resume).toEqual([
      { interruptId: expect.stringMatching(/:approve$/), status: 'resolved', payload: { approved: true, input: { path: 'edited.txt', content: 'hi there' } } },
    ]);
    const state = reloaded.session.state;
    expect(state.status).toBe('idle');
    expect(state.messages).toHaveLength(2);
    expect(state.messages[1]!.parts).toMatchObject([
      { type: 'text', text: 'I will write the file once you agree.' },
      { type: 'tool_call', name: 'write_file', input: { path: 'edited.txt' }, originalInput: { path: 'notes.txt' }, output: 'Wrote 8 bytes to edited.txt' },
      { type: 'text', text: 'Done: edited.txt written.' },
    ]);
    reloaded.session.disconnect();
  });

  it('an answer the agent refuses (HTTP error) leaves the interrupt waiting, to answer again', async () => {
    const storage = new MemoryStorage();
    let fail = true;
    const client = new AgUiChatClient({
      url,
      storage,
      fetch: (input, init) => (fail && JSON.parse(String(init?.body)).resume ? Promise.resolve(new Response('busy', { status: 503 })) : fetch(input, init)),
    });
    const { session } = await open(storage, client);
    await session.send('write it');
    const toolCallId = session.state.pendingApprovals[0]!.toolCallId;
    await session.approve([{ toolCallId, decision: 'approve' }]);
    expect(session.error).toMatchObject({ status: 503, retryable: true });
    expect(session.state.status).toBe('awaiting_approval');
    fail = false;
    await session.approve([{ toolCallId, decision: 'approve' }]);
    expect(session.state.status).toBe('idle');
    expect(session.state.messages.at(-1)!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Done: notes.txt written.' });
    session.disconnect();
  });

  it('a Stop while an interrupt waits ends the turn; the next run cancels the interrupt in its resume[]', async () => {
    const { session } = await open();
    await session.send('write it');
    expect(session.state.status).toBe('awaiting_approval');
    await session.stop();
    await expect.poll(() => session.state.status).toBe('idle');
    expect(session.state.pendingApprovals).toEqual([]);
    await expect.poll(() => session.streaming).toBe(false);
    await session.send('hello again');
    const last = threadRuns(session.sessionId!).at(-1)!;
    expect(last.input.resume).toEqual([{ interruptId: expect.stringMatching(/:approve$/), status: 'cancelled' }]);
    expect(session.state.messages.at(-1)!.parts).toMatchObject([{ type: 'text', text: 'You said: hello again' }]);
    session.disconnect();
  });

  it('shows RUN_ERROR as the turn error, and an HTTP failure as a request error', async () => {
    const { session } = await open();
    await session.send('now fail');
    expect(session.state.error).toEqual({ code: 'scripted_failure', message: 'The scripted agent failed on purpose.', retryable: false });
    session.disconnect();

    const broken = await open(new MemoryStorage(), new AgUiChatClient({ url: url.replace('/agent', '/nowhere') }));
    await broken.session.send('hello');
    expect(broken.session.error).toMatchObject({ code: 'http_error', status: 404 });
    expect(broken.session.state.status).toBe('idle');
    broken.session.disconnect();
  });

  it('stop aborts the run: the agent sees the request closed and the turn ends interrupted', async () => {
    const { session } = await open();
    const sent = session.send('a slow one');
    await expect.poll(() => session.state.messages.at(-1)?.parts.length ?? 0).toBeGreaterThan(0);
    await session.stop();
    await sent;
    expect(session.state.status).toBe('idle');
    expect(session.state.messages.at(-1)!.interrupted).toBe(true);
    await expect.poll(() => threadRuns(session.sessionId!).at(-1)!.aborted).toBe(true);
    session.disconnect();
  });

  it('a reload mid-run shows what came so far, marked stopped', async () => {
    const { session, storage } = await open();
    const sent = session.send('a slow one');
    await expect.poll(() => String(storage.getItem(agUiThreadStorageKey(session.sessionId!))), { timeout: 5000 }).toMatch(/word2/);
    const reloaded = await open(storage, new AgUiChatClient({ url, storage }));
    expect(reloaded.session.sessionId).toBe(session.sessionId);
    expect(reloaded.session.state.status).toBe('idle');
    const [user, answer] = reloaded.session.state.messages;
    expect(user).toMatchObject({ role: 'user', parts: [{ text: 'a slow one' }] });
    expect(answer).toMatchObject({ role: 'assistant', interrupted: true, parts: [{ type: 'text', text: expect.stringMatching(/^word0 word1 word2/) }] });
    session.disconnect();
    await sent;
    reloaded.session.disconnect();
  });

  it('lists the threads it saw and deletes one, here and in storage; fits an element\'s client', async () => {
    const storage = new MemoryStorage();
    const client = new AgUiChatClient({ url, storage });
    const { session } = await open(storage, client);
    await session.send('hello');
    const [info] = await client.listSessions();
    expect(info).toMatchObject({ id: session.sessionId, messageCount: 2, processing: false, awaitingApproval: false });
    await client.deleteSession(session.sessionId!);
    expect(await client.listSessions()).toEqual([]);
    expect(storage.getItem(agUiThreadStorageKey(session.sessionId!))).toBeNull();
    session.disconnect();
  });

  it('forgets a thread this browser does not know and starts a new one', async () => {
    const storage = new MemoryStorage();
    storage.setItem('agent-chat:session:test', 'gone');
    const { session } = await open(storage);
    expect(session.sessionId).not.toBe('gone');
    expect(storage.getItem(agUiThreadStorageKey(session.sessionId!))).toContain('"messages":[]');
    session.disconnect();
  });
});
