import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener } from '../../adapters/node.js';
import { createSession, postChat, readEvents, reducedMessages, startTestServer, type TestServer } from '../../__fixtures__/harness.js';
import { scriptedAgent, type ScriptedAgent } from '../../__fixtures__/scripted-agent.js';
import { agUiAgent } from './ag-ui-agent.js';
import { agUiHandler } from './handler.js';

// The remote AG-UI agent: a chat server with the scripted agent behind agUiHandler.
let remote: TestServer;
let remoteAgent: ScriptedAgent;
let remoteAgUi: Server;
// Our server, whose agent is that remote AG-UI agent.
let local: TestServer;

beforeAll(async () => {
  remoteAgent = scriptedAgent();
  remote = await startTestServer({ agent: remoteAgent });
  remoteAgUi = createServer(createNodeListener(agUiHandler(remote.chat)));
  await new Promise<void>((resolve) => remoteAgUi.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(remoteAgUi.address() as AddressInfo).port}/ag-ui`;
  local = await startTestServer({ agent: agUiAgent({ url }) });
});

afterAll(async () => {
  await local.close();
  remoteAgUi.closeAllConnections();
  await new Promise((resolve) => remoteAgUi.close(resolve));
  await remote.close();
});

describe('agUiAgent: a remote AG-UI agent behind our server', () => {
  it('runs a text turn', async () => {
    const sessionId = await createSession(local.base);
    const events = await readEvents(await postChat(local.base, sessionId, { text: 'hello' }));
    const messages = reducedMessages(sessionId, events);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', parts: [{ type: 'text', text: 'echo: hello', state: 'done' }] });
    expect(events.at(-1)?.event.type).toBe('turn_complete');
  });

  it('asks our user for the remote agent\'s approval, and sends the edited arguments back through resume', async () => {
    const sessionId = await createSession(local.base);
    const first = await readEvents(await postChat(local.base, sessionId, { text: 'approve the write' }));
    const approval = first.find((e) => e.event.type === 'approval_required')!.event as { tools: Array<{ toolCallId: string; name: string; input: unknown }> };
    expect(approval.tools).toMatchObject([{ name: 'write', input: { path: 'note.txt' } }]);
    const second = await readEvents(
      await postChat(local.base, sessionId, { approvals: [{ toolCallId: approval.tools[0]!.toolCallId, decision: 'approve', input: { path: 'edited.txt' } }] }),
    );
    const messages = reducedMessages(sessionId, [...first, ...second]);
    const parts = messages.at(-1)!.parts;
    expect(parts.find((p) => p.type === 'tool_call')).toMatchObject({ input: { path: 'edited.txt' }, output: 'written', state: 'done' });
    expect(parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('')).toBe('done (approve)');
    // The remote session ran the tool with the edit.
    const remoteSessions = (await (await fetch(`${remote.base}/sessions`)).json()) as Array<{ id: string }> | { sessions: Array<{ id: string }> };
    const list = Array.isArray(remoteSessions) ? remoteSessions : remoteSessions.sessions;
    const histories = await Promise.all(list.map(async (s) => (await (await fetch(`${remote.base}/session/${s.id}/messages`)).json()) as { messages: Array<{ parts: Array<Record<string, unknown>> }> }));
    const tools = histories.flatMap((h) => h.messages.flatMap((m) => m.parts)).filter((p) => p.type === 'tool_call');
    expect(tools).toContainEqual(expect.objectContaining({ input: { path: 'edited.txt' }, state: 'done' }));
  });

  it('a reload mid-turn resumes exactly: Last-Event-ID on our server, while the remote agent goes on', async () => {
    const sessionId = await createSession(local.base);
    const first = await readEvents(await postChat(local.base, sessionId, { text: 'hold it' }), (e) => e.event.type === 'assistant_chunk');
    const cursor = first.at(-1)!.id!;
    remoteAgent.release();
    const rest = await readEvents(
      await fetch(`${local.base}/events/${sessionId}`, { headers: { 'last-event-id': String(cursor) } }),
      (e) => e.event.type === 'turn_complete',
    );
    const ids = [...first, ...rest].flatMap((e) => (e.id === undefined ? [] : [e.id]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(rest.filter((e) => e.id !== undefined).every((e) => e.id! > cursor)).toBe(true);
    const messages = reducedMessages(sessionId, [...first, ...rest]);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', parts: [{ type: 'text', text: 'holding… released', state: 'done' }] });
  });
});
