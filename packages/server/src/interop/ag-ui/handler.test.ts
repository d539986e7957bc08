import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAgent, verifyEvents, type AgentSubscriber, type BaseEvent } from '@ag-ui/client';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../agents/agent.js';
import { createNodeListener } from '../../adapters/node.js';
import { createSession, startTestServer, type TestServer } from '../../__fixtures__/harness.js';
import { scriptedAgent } from '../../__fixtures__/scripted-agent.js';
import { agUiHandler } from './handler.js';

/** The scripted agent, plus: `fail ...` throws after one chunk. */
function testAgent(): Agent & { release(): void } {
  const scripted = scriptedAgent();
  return {
    ...scripted,
    release: () => scripted.release(),
    async *run(ctx) {
      if (ctx.input.text.startsWith('fail')) {
        yield { type: 'assistant_chunk', delta: 'Trying' };
        throw new Error('the model broke');
      }
      yield* scripted.run(ctx);
    },
  };
}

let server: TestServer;
let agUi: Server;
let url: string;
let agent: ReturnType<typeof testAgent>;

beforeAll(async () => {
  agent = testAgent();
  server = await startTestServer({ agent });
  agUi = createServer(createNodeListener(agUiHandler(server.chat)));
  await new Promise<void>((resolve) => agUi.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(agUi.address() as AddressInfo).port}/ag-ui`;
});

afterAll(async () => {
  agUi.closeAllConnections();
  await new Promise((resolve) => agUi.close(resolve));
  await server.close();
});

/** Runs one AG-UI run with the real HttpAgent (its verifier on), recording the events it applied. */
async function run(client: HttpAgent, parameters: Parameters<HttpAgent['runAgent']>[0] = {}, extra: AgentSubscriber = {}) {
  const events: BaseEvent[] = [];
  let outcome: string | undefined;
  let failure: unknown;
  try {
    await client.runAgent(parameters, {
      ...extra,
      onEvent: ({ event }) => void events.push(event),
      onRunFinishedEvent: (params) => void (outcome = params.outcome),
    });
  } catch (error) {
    failure = error;
  }
  return { events, types: events.map((e) => e.type), outcome, failure };
}

describe('agUiHandler with @ag-ui/client HttpAgent', () => {
  it('runs a text turn on a new thread: RUN_STARTED first, the answer, RUN_FINISHED', async () => {
    const client = new HttpAgent({ url, threadId: 'thread-text' });
    client.addMessage({ id: 'm1', role: 'user', content: 'hello' });
    const { types, outcome, failure } = await run(client);
    expect(failure).toBeUndefined();
    expect(types[0]).toBe('RUN_STARTED');
    expect(types.at(-1)).toBe('RUN_FINISHED');
    expect(outcome).toBe('success');
    expect(client.messages.map((m) => [m.role, 'content' in m ? m.content : undefined])).toEqual([
      ['user', 'hello'],
      ['assistant', 'echo: hello'],
    ]);
    // The same thread again: the same session, one more turn.
    client.addMessage({ id: 'm2', role: 'user', content: 'again' });
    expect((await run(client)).outcome).toBe('success');
    expect(client.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'echo: again' });
  });

  it('a tool approval is an interrupt; resume with edited arguments runs the tool with them', async () => {
    const sessionId = await createSession(server.base);
    const client = new HttpAgent({ url, threadId: sessionId });
    client.addMessage({ id: 'm1', role: 'user', content: 'approve the write' });
    const first = await run(client);
    expect(first.failure).toBeUndefined();
    expect(first.outcome).toBe('interrupt');
    expect(first.types).toContain('TOOL_CALL_START');
    const [interrupt] = client.pendingInterrupts;
    expect(interrupt).toMatchObject({ reason: 'tool_approval', toolCallId: interrupt!.id });

    const second = await run(client, {
      resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { approved: true, input: { path: 'edited.txt' } } }],
    });
    expect(second.failure).toBeUndefined();
    expect(second.outcome).toBe('success');
    expect(client.messages.find((m) => m.role === 'tool')).toMatchObject({ toolCallId: interrupt!.toolCallId, content: 'written' });
    expect(client.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'done (approve)' });

    // Our session (threadId was its id) ran the tool with the edit.
    const history = (await (await fetch(`${server.base}/session/${sessionId}/messages`)).json()) as { messages: Array<{ parts: Array<Record<string, unknown>> }> };
    const tool = history.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call');
    expect(tool).toMatchObject({ input: { path: 'edited.txt' }, originalInput: { path: 'note.txt' }, state: 'done' });
  });

  it('a rejection through resume (approved: false, with feedback)', async () => {
    const client = new HttpAgent({ url, threadId: 'thread-reject' });
    client.addMessage({ id: 'm1', role: 'user', content: 'approve nothing' });
    await run(client);
    const [interrupt] = client.pendingInterrupts;
    const second = await run(client, { resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { approved: false, feedback: 'not now' } }] });
    expect(second.outcome).toBe('success');
    expect(client.messages.find((m) => m.role === 'tool')).toMatchObject({ content: 'The user rejected this tool call. Feedback: not now' });
  });

  it('a failing turn is RUN_ERROR', async () => {
    const client = new HttpAgent({ url, threadId: 'thread-fail' });
    client.addMessage({ id: 'm1', role: 'user', content: 'fail please' });
    let runError: BaseEvent | undefined;
    const { types } = await run(client, {}, { onRunErrorEvent: ({ event }) => void (runError = event) });
    expect(types.at(-1)).toBe('RUN_ERROR');
    expect(runError).toMatchObject({ type: 'RUN_ERROR', code: 'agent_error' });
  });

  it('a stop (interrupt) ends the run with the cancelled outcome', async () => {
    const sessionId = await createSession(server.base);
    const client = new HttpAgent({ url, threadId: sessionId });
    client.addMessage({ id: 'm1', role: 'user', content: 'hold on' });
    const { outcome, types, failure } = await run(client, {}, {
      onTextMessageContentEvent: () => {
        void fetch(`${server.base}/interrupt/${sessionId}`, { method: 'POST' });
      },
    });
    expect(failure).toBeUndefined();
    expect(types.at(-1)).toBe('RUN_FINISHED');
    expect(outcome).toBe('cancelled');
  });

  it('answers an input without a new user message with the conversation, and refuses what is not a RunAgentInput', async () => {
    const client = new HttpAgent({ url, threadId: 'thread-text' });
    const { types, failure } = await run(client);
    expect(failure).toBeUndefined();
    expect(types[0]).toBe('RUN_STARTED');
    expect(types).toContain('MESSAGES_SNAPSHOT');
    expect(types.at(-1)).toBe('RUN_FINISHED');
    expect(client.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ threadId: 1 }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
  });

  it('sends SSE id: lines, the ids of our events', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      // parentRunId: null, as clients from before 1.0 send it.
      body: JSON.stringify({ threadId: 'thread-ids', runId: 'r1', parentRunId: null, messages: [{ id: 'm1', role: 'user', content: 'hi' }], tools: [], context: [] }),
    });
    const text = await response.text();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(text.split('\n\n').filter(Boolean).every((f) => /^id: \d+\ndata: \{/.test(f))).toBe(true);
  });

  it('a reconnect with Last-Event-ID gets exactly the rest of the run: together, one well-formed run', async () => {
    const body = JSON.stringify({ threadId: 'thread-resume', runId: 'run-1', messages: [{ id: 'm1', role: 'user', content: 'hold it' }], tools: [], context: [] });
    const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
    const abort = new AbortController();
    const first = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
    // Read until the first text arrives, then drop the connection mid-run.
    const reader = first.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('TEXT_MESSAGE_CONTENT')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    abort.abort();
    const firstFrames = received.split('\n\n').filter((f) => f.startsWith('id: '));
    const cursor = Number(/^id: (\d+)/.exec(firstFrames.at(-1)!)![1]);
    agent.release();

    const second = await fetch(url, { method: 'POST', headers: { ...headers, 'last-event-id': String(cursor) }, body });
    const secondFrames = (await second.text()).split('\n\n').filter((f) => f.startsWith('id: '));
    const events = [...firstFrames, ...secondFrames].map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)) as BaseEvent);
    expect(secondFrames.every((f) => Number(/^id: (\d+)/.exec(f)![1]) > cursor)).toBe(true);
    expect(events.filter((e) => e.type === 'RUN_STARTED')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'RUN_FINISHED', runId: 'run-1' });
    await expect(lastValueFrom(from(events).pipe(verifyEvents(), toArray()))).resolves.toHaveLength(events.length);
    const text = events.filter((e) => e.type === 'TEXT_MESSAGE_CONTENT').map((e) => (e as unknown as { delta: string }).delta).join('');
    expect(text).toBe('holding… released');
  });
});

describe('agUiHandler keepalive', () => {
  it('sends `: keepalive` comments while a run is idle, which HttpAgent ignores', async () => {
    const endpoint = createServer(createNodeListener(agUiHandler(server.chat, { keepAliveMs: 30 })));
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      const sessionId = await createSession(server.base);
      const response = await fetch(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/ag-ui`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ threadId: sessionId, runId: 'r', messages: [{ id: 'm', role: 'user', content: 'hold a while' }], tools: [], context: [] }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes(': keepalive')) text += decoder.decode((await reader.read()).value, { stream: true });
      agent.release();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toContain('"RUN_FINISHED"');
    } finally {
      endpoint.closeAllConnections();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });
});

describe('agUiHandler on the demo agent (every event type, live)', () => {
  it('a whole demo turn through HttpAgent: reasoning, parallel tools, research sub-agents, the write approval resumed', async () => {
    const demo = await startTestServer();
    const endpoint = createServer(createNodeListener(agUiHandler(demo.chat)));
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const client = new HttpAgent({ url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/ag-ui`, threadId: 'demo' });
      client.addMessage({ id: 'm1', role: 'user', content: 'What is 6 * 7?' });
      const runs = [await run(client)];
      while (runs.at(-1)!.outcome === 'interrupt' && runs.length < 5) {
        runs.push(await run(client, { resume: client.pendingInterrupts.map((i) => ({ interruptId: i.id, status: 'resolved' as const, payload: { approved: true } })) }));
      }
      expect(runs.map((r) => r.failure)).toEqual(runs.map(() => undefined));
      expect(runs.at(-1)!.outcome).toBe('success');
      const types = new Set(runs.flatMap((r) => r.types));
      for (const type of ['REASONING_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TOOL_CALL_START', 'TOOL_CALL_RESULT', 'SUBAGENT_STARTED', 'SUBAGENT_FINISHED', 'ACTIVITY_SNAPSHOT']) {
        expect(types, type).toContain(type);
      }
      expect(warnings.filter((w) => w.includes('[ag-ui]'))).toEqual([]);
      // Every tool call the client saw has its result.
      const calls = client.messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []));
      const results = new Set(client.messages.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
      expect(calls.length).toBeGreaterThan(1);
      expect(calls.filter((id) => !results.has(id))).toEqual([]);
    } finally {
      console.warn = warn;
      endpoint.closeAllConnections();
      await new Promise((resolve) => endpoint.close(resolve));
      await demo.close();
    }
  });
});
