import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunAgentInput } from '@ag-ui/core';
import type { EventOf, StreamEvent } from '@agent-chat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, postChat, readEvents, reducedMessages, startTestServer, waitFor, type TestServer } from '../../__fixtures__/harness.js';
// The scripted AG-UI agent of the browser tests: @ag-ui/core's event types, encoded by @ag-ui/encoder.
// @ts-expect-error: a JavaScript test helper without declarations
import { createScriptedAgUiAgent as createScripted } from '../../../../../test-support/ag-ui-scripted.mjs';
import { agUiAgent } from './ag-ui-agent.js';

interface ScriptedAgUiAgent {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  runs: Array<{ input: RunAgentInput; aborted: boolean; finished: boolean }>;
}
const createScriptedAgUiAgent = createScripted as (options: { base?: string; chunkDelayMs?: number }) => ScriptedAgUiAgent;
type ApprovalRequest = EventOf<'approval_required'>['tools'][number];

let remote: Server;
let scripted: ScriptedAgUiAgent;
let local: TestServer;

beforeAll(async () => {
  scripted = createScriptedAgUiAgent({ base: '/agent', chunkDelayMs: 5 });
  remote = createServer((req, res) => {
    if (!scripted.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  local = await startTestServer({ agent: agUiAgent({ url: `http://127.0.0.1:${(remote.address() as AddressInfo).port}/agent` }) });
});

afterAll(async () => {
  await local.close();
  remote.closeAllConnections();
  await new Promise((resolve) => remote.close(resolve));
});

const history = async (sessionId: string) =>
  (await (await fetch(`${local.base}/session/${sessionId}/messages`)).json()) as { messages: ReturnType<typeof reducedMessages>; processing: boolean };
const ids = (events: StreamEvent[]) => events.flatMap((e) => (e.id === undefined ? [] : [e.id]));

/**
 * agUiAgent against an AG-UI server that is not ours: the scripted agent
 * (`test-support/ag-ui-scripted.mjs`) proxied through our server, so its
 * turns get our sessions, history and exact resume.
 */
describe('agUiAgent proxying a scripted @ag-ui/encoder server', () => {
  it('text, reasoning and a tool call with its result become our events and history', async () => {
    const sessionId = await createSession(local.base);
    const reasoning = await readEvents(await postChat(local.base, sessionId, { text: 'reason about it' }));
    expect(reasoning.at(-1)?.event.type).toBe('turn_complete');
    const tool = await readEvents(await postChat(local.base, sessionId, { text: 'use a tool' }));
    const { messages } = await history(sessionId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[1]!.parts).toMatchObject([
      { type: 'thinking', text: 'Weighing the question carefully.' },
      { type: 'text', text: 'After some thought: 42.' },
    ]);
    expect(messages[3]!.parts).toMatchObject([
      { type: 'tool_call', name: 'add', input: { a: 2, b: 3 }, output: '5', state: 'done' },
      { type: 'text', text: '2 + 3 = 5.' },
    ]);
    // What streamed is what the history holds.
    expect(reducedMessages(sessionId, [...reasoning, ...tool])).toEqual(messages);
    // The second run carried the conversation so far, as AG-UI messages.
    const runs = scripted.runs.filter((r) => r.input.threadId === sessionId);
    expect(runs.at(-1)!.input.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['reason about it', 'use a tool']);
  });

  it('an interrupt asks our user; the approval with an edited argument goes back through resume[], a denial too', async () => {
    const sessionId = await createSession(local.base);
    const asked = await readEvents(await postChat(local.base, sessionId, { text: 'write the notes' }));
    const approval = asked.at(-1)!.event as { type: string; tools: ApprovalRequest[] };
    expect(approval.type).toBe('approval_required');
    expect(approval.tools).toMatchObject([{ name: 'write_file', input: { path: 'notes.txt', content: 'hello' } }]);
    const approved = await readEvents(
      await postChat(local.base, sessionId, {
        approvals: [{ toolCallId: approval.tools[0]!.toolCallId, decision: 'approve', input: { path: 'edited.txt', content: 'hello!' } }],
      }),
    );
    expect(approved.at(-1)?.event.type).toBe('turn_complete');
    const resumed = scripted.runs.filter((r) => r.input.threadId === sessionId).at(-1)!.input;
    expect(resumed.resume).toMatchObject([{ status: 'resolved', payload: { approved: true, input: { path: 'edited.txt', content: 'hello!' } } }]);
    const written = (await history(sessionId)).messages.at(-1)!;
    expect(written.parts.find((p) => p.type === 'tool_call')).toMatchObject({ input: { path: 'edited.txt' }, output: 'Wrote 6 bytes to edited.txt', state: 'done' });
    expect(written.parts.at(-1)).toMatchObject({ type: 'text', text: 'Done: edited.txt written.' });

    const again = await readEvents(await postChat(local.base, sessionId, { text: 'write them again' }));
    const second = again.at(-1)!.event as { tools: ApprovalRequest[] };
    await readEvents(await postChat(local.base, sessionId, { approvals: [{ toolCallId: second.tools[0]!.toolCallId, decision: 'reject', feedback: 'not today' }] }));
    expect(scripted.runs.filter((r) => r.input.threadId === sessionId).at(-1)!.input.resume).toMatchObject([{ payload: { approved: false, feedback: 'not today' } }]);
    expect((await history(sessionId)).messages.at(-1)!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Not written: not today.' });
  });

  it('a RUN_ERROR fails the turn; what came before it stays; the server logs the remote message', async () => {
    const sessionId = await createSession(local.base);
    const events = await readEvents(await postChat(local.base, sessionId, { text: 'fail now' }));
    // As for any agent failure, the user gets our generic error (the remote's message may say too much).
    expect(events.at(-1)?.event).toMatchObject({ type: 'error', code: 'agent_error', retryable: false });
    expect((await history(sessionId)).messages.at(-1)!.parts).toMatchObject([{ type: 'text', text: 'Starting, then failing.' }]);
    expect(JSON.stringify(local.logger.lines.map((l) => l.args.map(String)))).toContain('The scripted agent failed on purpose.');
  });

  it('a reload mid-turn resumes exactly: the rest after Last-Event-ID, no gap, no duplicate, while the remote run goes on', async () => {
    const sessionId = await createSession(local.base);
    // The research script pauses with its sub-agents running: the page "reloads" there.
    const first = await readEvents(await postChat(local.base, sessionId, { text: 'research the tides' }), (e) => e.event.type === 'tool_log');
    const cursor = first.at(-1)!.id!;
    expect((await history(sessionId)).processing).toBe(true);
    const rest = await readEvents(await fetch(`${local.base}/events/${sessionId}`, { headers: { 'last-event-id': String(cursor) } }), (e) => e.event.type === 'turn_complete');
    const all = [...first, ...rest];
    const seen = ids(all);
    expect(new Set(seen).size).toBe(seen.length);
    // Contiguous from the turn's first event to its last.
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0]! + i));
    await waitFor(async () => !(await history(sessionId)).processing);
    const { messages } = await history(sessionId);
    expect(reducedMessages(sessionId, all).slice(-2)).toEqual(messages.slice(-2));
    expect(messages.at(-1)!.parts.find((p) => p.type === 'tool_call')).toMatchObject({ name: 'research', state: 'done', output: 'Tides follow the Moon.' });
    expect(messages.at(-1)!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Tides follow the Moon.' });
    // The remote run was not cut by the reload: one run, played to its end.
    const runs = scripted.runs.filter((r) => r.input.threadId === sessionId);
    expect(runs.map((r) => r.finished)).toEqual([true]);
  });
});
