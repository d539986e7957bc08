import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SSE_HEADERS, createConversationState, reduce, type EventOf, type StreamEvent } from '@agent-chat/core';
import { errorBodySchema, healthSchema, sessionInfoSchema, sessionMessagesSchema } from '@agent-chat/core/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import {
  JSON_HEADERS,
  createSession,
  postChat,
  readEvents,
  startTestServer,
  types,
  waitFor,
  type TestServer,
} from '../__fixtures__/harness.js';
import { AgentError, type Agent } from '../agents/agent.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { DEMO_NOTE_PATH } from '../agents/demo/demo-agent.js';
import { coalesceChunks } from '../sessions/event-log.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function idsOf(events: StreamEvent[]): number[] {
  return events.filter((e) => e.id !== undefined).map((e) => e.id!);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

describe('a full demo turn over POST /chat', () => {
  it('streams thinking, text and real tool calls, stops at the approval, and finishes after it', async () => {
    server = await startTestServer();
    const { base } = server;
    const id = await createSession(base);

    const first = await postChat(base, id, { text: 'What is 6 * 7?' });
    expect(first.status).toBe(200);
    for (const [name, value] of Object.entries(SSE_HEADERS)) expect(first.headers.get(name)).toBe(value);
    const part1 = await readEvents(first);

    expect(part1[0]!.event.type).toBe('ready');
    expect(part1[0]!.id).toBeUndefined();
    expect(part1[0]!.event).toMatchObject({ sessionId: id, lastEventId: 0 });
    expect(idsOf(part1)).toEqual(range(1, part1.length - 1));

    const seq = types(part1);
    expect(seq[1]).toBe('processing');
    expect((part1[1]!.event as EventOf<'processing'>).userMessage?.text).toBe('What is 6 * 7?');
    const at = (type: string) => seq.indexOf(type);
    expect(at('thinking_chunk')).toBeGreaterThan(1);
    expect(at('thinking_end')).toBeGreaterThan(at('thinking_chunk'));
    expect(at('assistant_chunk')).toBeGreaterThan(at('thinking_end'));
    expect(at('assistant_stream_end')).toBeGreaterThan(at('assistant_chunk'));
    expect(at('tool_call')).toBeGreaterThan(at('assistant_stream_end'));
    expect(seq.at(-1)).toBe('approval_required');

    const text = part1
      .filter((e) => e.event.type === 'assistant_chunk')
      .map((e) => (e.event as EventOf<'assistant_chunk'>).delta)
      .join('');
    expect(text).toMatch(/^## /);
    expect(text).toContain('\n- ');
    expect(text).toContain('```js\nconst message = "What is 6 * 7?";');

    // The research tool's sub-agents have tests of their own (research-tool); this follows the core tools.
    const calls = part1
      .filter((e) => e.event.type === 'tool_call')
      .map((e) => e.event as EventOf<'tool_call'>)
      .filter((call) => call.name !== 'research');
    expect(calls.map((c) => c.name)).toEqual(['list_files', 'read_file', 'calculate', 'write_file']);
    const outputs = new Map(
      part1
        .filter((e) => e.event.type === 'tool_output')
        .map((e) => [(e.event as EventOf<'tool_output'>).toolCallId, e.event as EventOf<'tool_output'>]),
    );
    expect(outputs.get(calls[0]!.toolCallId)?.output).toMatchObject({
      entries: [{ name: 'a-readme.md', type: 'file' }, { name: 'docs', type: 'directory' }],
    });
    expect(calls[1]!.input).toEqual({ path: 'a-readme.md' });
    expect(outputs.get(calls[1]!.toolCallId)?.output).toBe('# Sandbox\n\nHello from the sandbox.\n');
    expect(calls[2]!.input).toEqual({ expression: '6 * 7' });
    expect(outputs.get(calls[2]!.toolCallId)?.output).toEqual({ expression: '6 * 7', result: 42 });
    expect(outputs.has(calls[3]!.toolCallId)).toBe(false);

    const approval = part1.at(-1)!.event as EventOf<'approval_required'>;
    expect(approval.tools).toHaveLength(1);
    expect(approval.tools[0]).toMatchObject({ toolCallId: calls[3]!.toolCallId, name: 'write_file' });
    expect(approval.tools[0]!.inputSchema).toMatchObject({ type: 'object', required: ['path', 'content'] });

    const info = sessionInfoSchema.parse(await (await fetch(`${base}/session/${id}`)).json());
    expect(info).toMatchObject({ processing: true, awaitingApproval: true, lastEventId: part1.length - 1 });

    const second = await postChat(base, id, {
      approvals: [{ toolCallId: calls[3]!.toolCallId, decision: 'approve' }],
    });
    expect(second.status).toBe(200);
    const part2 = await readEvents(second);
    expect(part2[0]!.event.type).toBe('ready');
    expect(idsOf(part2)).toEqual(range(part1.length, part1.length + part2.length - 2));
    expect(types(part2).slice(1, 5)).toEqual(['tool_state_change', 'processing', 'tool_state_change', 'tool_output']);
    expect(part2[1]!.event).toMatchObject({ toolCallId: calls[3]!.toolCallId, state: 'approved' });
    expect((part2[2]!.event as EventOf<'processing'>).userMessage).toBeUndefined();
    expect(part2[4]!.event).toMatchObject({ isError: false, output: { path: DEMO_NOTE_PATH } });
    expect([...part1, ...part2].filter((e) => e.event.type === 'title').map((e) => e.event)).toEqual([{ type: 'title', title: 'What is 6 * 7?' }]);
    expect(types(part2)).toContain('usage');
    expect(part2.at(-1)!.event).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });

    const note = await readFile(path.join(server.sandbox, DEMO_NOTE_PATH), 'utf8');
    expect(note).toContain('6 * 7 = 42');

    const logged = [...part1, ...part2].filter((e) => e.id !== undefined);
    const expected = logged.reduce((state, e) => reduce(state, e.event, e.id), createConversationState(id));
    const messages = sessionMessagesSchema.parse(await (await fetch(`${base}/session/${id}/messages`)).json());
    expect(messages.lastEventId).toBe(logged.at(-1)!.id);
    expect(messages.processing).toBe(false);
    expect(messages.messages).toEqual(JSON.parse(JSON.stringify(expected.messages)));
    expect(messages.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages.title).toBe('What is 6 * 7?');
    expect(messages.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('rejects with feedback: no file is written and the feedback is quoted', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    const part1 = await readEvents(await postChat(server.base, id, { text: 'hello' }));
    const approval = part1.at(-1)!.event as EventOf<'approval_required'>;
    const toolCallId = approval.tools[0]!.toolCallId;
    const part2 = await readEvents(
      await postChat(server.base, id, { approvals: [{ toolCallId, decision: 'reject', feedback: 'not now' }] }),
    );
    expect(part2[1]!.event).toEqual({ type: 'tool_state_change', toolCallId, state: 'rejected', feedback: 'not now' });
    const text = part2
      .filter((e) => e.event.type === 'assistant_chunk')
      .map((e) => (e.event as EventOf<'assistant_chunk'>).delta)
      .join('');
    expect(text).toContain('> not now');
    expect(part2.at(-1)!.event.type).toBe('turn_complete');
    await expect(readFile(path.join(server.sandbox, DEMO_NOTE_PATH))).rejects.toThrow(/ENOENT/);
    // The default expression is used when the text holds none.
    const calc = part1.find((e) => e.event.type === 'tool_call' && e.event.name === 'calculate')!.event;
    expect(calc).toMatchObject({ input: { expression: '(17 + 25) * 2' } });
  });

  it('runs an approved write with the input the user edited', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    const part1 = await readEvents(await postChat(server.base, id, { text: 'hi' }));
    const toolCallId = (part1.at(-1)!.event as EventOf<'approval_required'>).tools[0]!.toolCallId;
    const edited = { path: 'edited.md', content: 'edited by the user' };
    const part2 = await readEvents(
      await postChat(server.base, id, { approvals: [{ toolCallId, decision: 'approve', input: edited }] }),
    );
    expect(part2[1]!.event).toMatchObject({ state: 'approved', input: edited });
    expect(await readFile(path.join(server.sandbox, 'edited.md'), 'utf8')).toBe('edited by the user');
    const messages = sessionMessagesSchema.parse(await (await fetch(`${server.base}/session/${id}/messages`)).json());
    const part = messages.messages[1]!.parts.find((p) => p.type === 'tool_call' && p.toolCallId === toolCallId);
    expect(part).toMatchObject({ state: 'done', input: edited, originalInput: { path: DEMO_NOTE_PATH } });
  });

  it('refuses an edited input that breaks the tool schema with 422 naming the field, and changes nothing', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    const part1 = await readEvents(await postChat(server.base, id, { text: 'hi' }));
    const toolCallId = (part1.at(-1)!.event as EventOf<'approval_required'>).tools[0]!.toolCallId;
    const before = await (await fetch(`${server.base}/session/${id}/messages`)).json();

    const response = await postChat(server.base, id, {
      approvals: [{ toolCallId, decision: 'approve', input: { path: 42, content: 'x' } }],
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; issues: { path: unknown[] }[] } };
    expect(body.error.code).toBe('invalid_approvals');
    expect(body.error.issues.map((issue) => issue.path)).toEqual([['approvals', 0, 'input', 'path']]);
    expect(await (await fetch(`${server.base}/session/${id}/messages`)).json()).toEqual(before);

    const part2 = await readEvents(await postChat(server.base, id, { approvals: [{ toolCallId, decision: 'approve' }] }));
    expect(part2.at(-1)!.event.type).toBe('turn_complete');
  });
});

describe('resume', () => {
  it('a dropped chat connection does not stop the turn; Last-Event-ID and ?after= replay exactly the missing events', async () => {
    server = await startTestServer({ chunkDelayMs: 2 });
    const { base, chat } = server;
    const id = await createSession(base);

    const aborter = new AbortController();
    const first = await postChat(base, id, { text: 'keep going' }, { signal: aborter.signal });
    const seen = await readEvents(first, (_e, all) => all.length >= 6);
    aborter.abort();
    const lastSeen = seen.at(-1)!.id!;
    expect(lastSeen).toBe(5);

    // The turn goes on without any client and reaches the approval.
    await waitFor(async () => {
      const info = sessionInfoSchema.parse(await (await fetch(`${base}/session/${id}`)).json());
      return info.awaitingApproval;
    });
    const log = chat.sessions.get(id, 'dev')!.log;
    const missing = log.readAfter(lastSeen);
    expect(missing.at(-1)!.event.type).toBe('approval_required');

    const isApproval = (e: StreamEvent) => e.event.type === 'approval_required';
    const byHeader = await readEvents(
      await fetch(`${base}/events/${id}`, { headers: { 'last-event-id': String(lastSeen) } }),
      isApproval,
    );
    expect(byHeader[0]!.event).toMatchObject({ type: 'ready', lastEventId: log.lastId });
    // The replay merges each run of chunks of one message into one frame carrying the run's last id.
    expect(byHeader.slice(1)).toEqual(coalesceChunks(missing).map(({ id: eventId, event }) => ({ id: eventId, event })));
    expect(byHeader.length - 1).toBeLessThan(missing.length);
    expect(idsOf(byHeader).at(-1)).toBe(log.lastId);

    const byQuery = await readEvents(await fetch(`${base}/events/${id}?after=${lastSeen}`), isApproval);
    expect(byQuery.slice(1)).toEqual(byHeader.slice(1));

    // The header wins over the query.
    const both = await readEvents(
      await fetch(`${base}/events/${id}?after=0`, { headers: { 'last-event-id': String(lastSeen) } }),
      isApproval,
    );
    expect(both.slice(1)).toEqual(byHeader.slice(1));
  });

  it('without a cursor, sends a snapshot at the last id, then the live tail', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    const done = await readEvents(await postChat(server.base, id, { text: 'hi' }));
    const lastId = done.at(-1)!.id!;

    const events = server.base + `/events/${id}`;
    const response = await fetch(events);
    const received = readEvents(response, (e) => e.event.type === 'turn_complete');
    const toolCallId = (done.at(-1)!.event as EventOf<'approval_required'>).tools[0]!.toolCallId;
    await waitFor(() => server!.chat.sessions.get(id, 'dev')!.info().processing);
    const approve = await postChat(server.base, id, { approvals: [{ toolCallId, decision: 'reject' }] });
    await readEvents(approve);
    const stream = await received;
    expect(stream[1]!.event.type).toBe('snapshot');
    expect(stream[1]!.id).toBe(lastId);
    expect(stream[1]!.event).toMatchObject({ processing: true, pendingApprovals: [{ toolCallId }] });
    expect(idsOf(stream.slice(2))).toEqual(range(lastId + 1, stream.at(-1)!.id!));
  });

  it('unsubscribes when a subscriber disconnects', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    const session = server.chat.sessions.get(id, 'dev')!;
    const aborter = new AbortController();
    const response = await fetch(`${server.base}/events/${id}`, { signal: aborter.signal });
    await readEvents(response, (e) => e.event.type === 'snapshot').catch(() => []);
    const other = await fetch(`${server.base}/events/${id}`, { signal: aborter.signal });
    expect(other.status).toBe(200);
    await waitFor(() => session.openStreams === 1);
    aborter.abort();
    await waitFor(() => session.openStreams === 0);
  });

  it('rejects a cursor that is not an integer or lies beyond the last id', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    await expectError(await fetch(`${server.base}/events/${id}?after=abc`), 400, 'invalid_cursor');
    await expectError(await fetch(`${server.base}/events/${id}?after=1.5`), 400, 'invalid_cursor');
    await expectError(await fetch(`${server.base}/events/${id}`, { headers: { 'last-event-id': '7' } }), 400, 'invalid_cursor');
  });

  it('two subscribers see the same id sequence as the chat stream', async () => {
    server = await startTestServer({ chunkDelayMs: 1 });
    const id = await createSession(server.base);
    const until = (e: StreamEvent) => e.event.type === 'approval_required';
    const a = readEvents(await fetch(`${server.base}/events/${id}`), until);
    const b = readEvents(await fetch(`${server.base}/events/${id}?after=0`), until);
    const chatEvents = await readEvents(await postChat(server.base, id, { text: 'two viewers' }));
    const [eventsA, eventsB] = await Promise.all([a, b]);
    const chatIds = idsOf(chatEvents);
    expect(chatIds.length).toBeGreaterThan(10);
    // A's snapshot carries id 0 (empty log); the rest is the same tail.
    expect(idsOf(eventsA).filter((n) => n > 0)).toEqual(chatIds);
    expect(idsOf(eventsB)).toEqual(chatIds);
    expect(eventsB.slice(1)).toEqual(chatEvents.slice(1));
  });
});

describe('interrupt', () => {
  it('ends the turn with `interrupted` within a chunk, drops later output, and accepts a new turn', async () => {
    server = await startTestServer({ chunkDelayMs: 5 });
    const { base, chat } = server;
    const id = await createSession(base);
    const idle = await fetch(`${base}/interrupt/${id}`, { method: 'POST' });
    expect(await idle.json()).toEqual({ interrupted: false });

    const response = await postChat(base, id, { text: 'stop me' });
    const reader = (await import('@agent-chat/core')).decodeEventStream(response.body!).getReader();
    const events: StreamEvent[] = [];
    for (;;) {
      const { value } = await reader.read();
      events.push(value!);
      if (value!.event.type === 'assistant_chunk') break;
    }
    const started = Date.now();
    const answer = await fetch(`${base}/interrupt/${id}`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ interrupted: true });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.push(value);
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events.at(-1)!.event.type).toBe('interrupted');
    expect(events.some((e) => e.event.type === 'tool_call')).toBe(false);

    const log = chat.sessions.get(id, 'dev')!.log;
    const lastId = log.lastId;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(log.lastId).toBe(lastId);

    const messages = sessionMessagesSchema.parse(await (await fetch(`${base}/session/${id}/messages`)).json());
    expect(messages.processing).toBe(false);
    expect(messages.messages[1]!.parts.every((p) => p.type !== 'text' || p.state === 'done')).toBe(true);

    const again = await postChat(base, id, { text: 'again' });
    expect(again.status).toBe(200);
    const next = await readEvents(again, (e) => e.event.type === 'assistant_chunk');
    expect(next[1]!.event).toMatchObject({ type: 'processing', userMessage: { text: 'again' } });
    expect(next[1]!.id).toBe(lastId + 1);
  });

  it('interrupts a turn waiting for approval', async () => {
    server = await startTestServer();
    const id = await createSession(server.base);
    await readEvents(await postChat(server.base, id, { text: 'hi' }));
    const answer = await fetch(`${server.base}/interrupt/${id}`, { method: 'POST' });
    expect(await answer.json()).toEqual({ interrupted: true });
    const session = server.chat.sessions.get(id, 'dev')!;
    expect(session.log.readAfter(session.log.lastId - 1)[0]!.event.type).toBe('interrupted');
    expect(session.info()).toMatchObject({ processing: false, awaitingApproval: false });
    await expectError(
      await postChat(server.base, id, { approvals: [{ toolCallId: 'x', decision: 'approve' }] }),
      409,
      'no_pending_approval',
    );
  });
});

describe('sessions', () => {
  it('creates, lists newest first, gets and deletes; delete ends open streams with `shutdown`', async () => {
    server = await startTestServer();
    const { base } = server;
    const created = await fetch(`${base}/session`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ title: 'First', model: 'demo' }),
    });
    expect(created.status).toBe(201);
    const first = sessionInfoSchema.parse(await created.json());
    expect(first).toMatchObject({ title: 'First', model: 'demo', processing: false, messageCount: 0, lastEventId: 0 });
    const second = await createSession(base);
    const list = (await (await fetch(`${base}/sessions`)).json()) as { sessions: { id: string }[] };
    expect(list.sessions.map((s) => s.id)).toEqual([second, first.id]);

    const health = healthSchema.parse(await (await fetch(`${base}/health`)).json());
    expect(health).toMatchObject({ status: 'ok', activeSessions: 2, maxSessions: 200 });

    const stream = readEvents(await fetch(`${base}/events/${second}`));
    const deleted = await fetch(`${base}/session/${second}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const events = await stream;
    expect(types(events)).toEqual(['ready', 'snapshot', 'shutdown']);
    expect(events[2]!.event).toMatchObject({ reason: 'session_deleted' });
    await expectError(await fetch(`${base}/session/${second}`), 404, 'session_not_found');
  });

  it('keeps users apart: another user\'s session is not found', async () => {
    server = await startTestServer({
      auth: (request) => {
        const user = request.headers.get('x-user');
        return user ? { id: user } : null;
      },
    });
    const { base } = server;
    await expectError(await fetch(`${base}/sessions`), 401, 'unauthorized');
    const mine = await fetch(`${base}/session`, { method: 'POST', headers: { 'x-user': 'ann' } });
    const { id } = (await mine.json()) as { id: string };
    const theirs = await fetch(`${base}/session/${id}`, { headers: { 'x-user': 'bob' } });
    const unknown = await fetch(`${base}/session/does-not-exist`, { headers: { 'x-user': 'bob' } });
    const a = await expectError(theirs, 404, 'session_not_found');
    const b = await expectError(unknown, 404, 'session_not_found');
    expect(a).toEqual(b);
    expect(((await (await fetch(`${base}/sessions`, { headers: { 'x-user': 'bob' } })).json()) as { sessions: [] }).sessions).toEqual([]);
  });

  it('enforces the per-user and server session limits', async () => {
    server = await startTestServer({ maxSessions: 3, maxSessionsPerUser: 2, auth: (r) => ({ id: r.headers.get('x-user') ?? 'a' }) });
    const create = (user: string) => fetch(`${server!.base}/session`, { method: 'POST', headers: { 'x-user': user } });
    expect((await create('a')).status).toBe(201);
    expect((await create('a')).status).toBe(201);
    await expectError(await create('a'), 429, 'session_limit');
    expect((await create('b')).status).toBe(201);
    await expectError(await create('c'), 503, 'too_many_sessions');
  });

  it('warns once when no auth function is configured', async () => {
    server = await startTestServer();
    const warnings = server.logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.args[0])).toMatch(/no auth/);
  });
});

describe('errors', () => {
  it('answers each bad request with the documented JSON error and stays up', async () => {
    server = await startTestServer({ maxBodyBytes: 1024 });
    const { base, origin } = server;
    const id = await createSession(base);

    await expectError(
      await fetch(`${base}/chat/${id}`, { method: 'POST', headers: JSON_HEADERS, body: '{"text": ' }),
      400,
      'invalid_json',
    );
    const unknownField = await expectError(await postChat(base, id, { text: 'hi', extra: 1 }), 422, 'invalid_body');
    expect(unknownField.error.issues?.[0]?.message).toMatch(/extra/);
    const empty = await expectError(await postChat(base, id, { text: '   ' }), 422, 'invalid_body');
    expect(empty.error.issues?.[0]?.path).toEqual(['text']);
    const badApproval = await expectError(
      await postChat(base, id, { approvals: [{ toolCallId: 'x', decision: 'maybe' }] }),
      422,
      'invalid_body',
    );
    expect(badApproval.error.issues?.[0]?.path).toEqual(['approvals', 0, 'decision']);
    await expectError(
      await fetch(`${base}/session`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ titel: 'x' }) }),
      422,
      'invalid_body',
    );

    await expectError(await postChat(base, id, { text: 'x'.repeat(2000) }), 413, 'payload_too_large');
    // Without Content-Length the bytes are counted while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? '{"text":"' : 'y'.repeat(500)));
        controller.close();
      },
    });
    await expectError(
      await fetch(`${base}/chat/${id}`, { method: 'POST', headers: JSON_HEADERS, body: chunks, duplex: 'half' } as RequestInit),
      413,
      'payload_too_large',
    );
    await expectError(
      await fetch(`${base}/chat/${id}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }),
      415,
      'unsupported_media_type',
    );

    await expectError(await postChat(base, '00000000-0000-4000-8000-000000000000', { text: 'hi' }), 404, 'session_not_found');
    await expectError(await postChat(base, 'bad%20id!', { text: 'hi' }), 404, 'session_not_found');
    await expectError(await fetch(`${base}/nope`), 404, 'route_not_found');
    await expectError(await fetch(`${origin}/elsewhere`), 404, 'route_not_found');
    const wrongMethod = await fetch(`${base}/session/${id}`, { method: 'PUT' });
    await expectError(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toBe('GET, DELETE');

    await expectError(
      await postChat(base, id, { approvals: [{ toolCallId: 'x', decision: 'approve' }] }),
      409,
      'no_pending_approval',
    );
    const running = await postChat(base, id, { text: 'first' });
    await expectError(await postChat(base, id, { text: 'second' }), 409, 'turn_running');
    const approval = (await readEvents(running)).at(-1)!.event as EventOf<'approval_required'>;
    const before = await readLastId(base, id);
    await expectError(await postChat(base, id, { text: 'while waiting' }), 409, 'turn_running');
    const invalid = await expectError(
      await postChat(base, id, { approvals: [{ toolCallId: 'unknown', decision: 'approve' }] }),
      422,
      'invalid_approvals',
    );
    expect(invalid.error.issues?.map((i) => i.message).join(' ')).toContain(approval.tools[0]!.toolCallId);
    // Nothing half-written: the refused requests appended nothing and the approval is still pending.
    expect(await readLastId(base, id)).toBe(before);
    expect(server.chat.sessions.get(id, 'dev')!.info().awaitingApproval).toBe(true);

    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 500 internal_error without details when the agent throws, as an error event', async () => {
    server = await startTestServer({
      agent: {
        async *run() {
          yield { type: 'assistant_chunk', delta: 'partial' };
          throw new Error('secret stack detail');
        },
      },
      autoTitle: false,
    });
    const id = await createSession(server.base);
    const events = await readEvents(await postChat(server.base, id, { text: 'boom' }));
    expect(types(events)).toEqual(['ready', 'processing', 'assistant_chunk', 'error']);
    expect(events.at(-1)!.event).toMatchObject({ code: 'agent_error', retryable: false });
    expect(JSON.stringify(events.at(-1)!.event)).not.toContain('secret');
    expect(server.logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('passes an AgentError\'s code, message and retryable through to the client', async () => {
    server = await startTestServer({
      agent: {
        async *run() {
          throw new AgentError('overloaded', 'The model is overloaded. Try again in a minute.', { retryable: true });
        },
      },
    });
    const id = await createSession(server.base);
    const events = await readEvents(await postChat(server.base, id, { text: 'hello' }));
    expect(events.at(-1)!.event).toMatchObject({
      type: 'error',
      code: 'overloaded',
      message: 'The model is overloaded. Try again in a minute.',
      retryable: true,
    });
  });
});

describe('close()', () => {
  it('interrupts running turns, ends every stream with `shutdown`, then refuses new turns', async () => {
    server = await startTestServer({ chunkDelayMs: 5 });
    const { base, chat } = server;
    const id = await createSession(base);
    const subscription = readEvents(await fetch(`${base}/events/${id}`));
    const chat1 = await postChat(base, id, { text: 'long' });
    const chatEvents = readEvents(chat1);
    await waitFor(() => (chat.sessions.get(id, 'dev')?.log.lastId ?? 0) > 3);
    await chat.close();
    expect((await chatEvents).at(-1)!.event.type).toBe('interrupted');
    const sub = await subscription;
    expect(types(sub).slice(-2)).toEqual(['interrupted', 'shutdown']);
    expect(sub.at(-1)!.event).toMatchObject({ reason: 'server_shutdown' });
    await expectError(await postChat(base, id, { text: 'more' }), 503, 'shutting_down');
  });
});

async function readLastId(base: string, id: string): Promise<number> {
  return sessionInfoSchema.parse(await (await fetch(`${base}/session/${id}`)).json()).lastEventId;
}

describe('replay coalescing', () => {
  /** An agent that thinks in 8 chunks and answers in 40, with no await between them. */
  const chunkyAgent: Agent = {
    name: 'chunky',
    async *run() {
      for (let i = 0; i < 8; i++) yield { type: 'thinking_chunk', delta: `t${i} ` };
      yield { type: 'thinking_end' };
      for (let i = 0; i < 40; i++) yield { type: 'assistant_chunk', delta: `w${i} ` };
      yield { type: 'assistant_stream_end' };
    },
  };
  const reduced = (sessionId: string, events: StreamEvent[]) =>
    events.reduce((state, e) => reduce(state, e.event, e.id), createConversationState(sessionId));

  it('replays runs of chunks as one frame each with the last id; the state, and a resume from any id, are unchanged', async () => {
    server = await startTestServer({ agent: chunkyAgent, autoTitle: false });
    const { base } = server;
    const id = await createSession(base);
    // Live delivery: one frame per event, every id.
    const live = await readEvents(await postChat(base, id, { text: 'go' }));
    const lastId = idsOf(live).at(-1)!;
    expect(idsOf(live)).toEqual(range(1, lastId));
    expect(live.filter((e) => e.event.type === 'assistant_chunk')).toHaveLength(40);

    const replay = await readEvents(await fetch(`${base}/events/${id}?after=0`), (e) => e.id === lastId);
    const replayIds = idsOf(replay);
    // 8 thinking chunks and 40 text chunks became one frame each.
    expect(replay.slice(1).map((e) => e.event.type)).toEqual([
      'processing',
      'thinking_chunk',
      'thinking_end',
      'assistant_chunk',
      'assistant_stream_end',
      'turn_complete',
    ]);
    expect(replay.find((e) => e.event.type === 'assistant_chunk')!.event).toMatchObject({
      delta: Array.from({ length: 40 }, (_, i) => `w${i} `).join(''),
    });
    for (let i = 1; i < replayIds.length; i++) expect(replayIds[i]).toBeGreaterThan(replayIds[i - 1]!);
    expect(replayIds.at(-1)).toBe(lastId);
    // Each merged frame carries the last id of its run.
    const textFrame = replay.find((e) => e.event.type === 'assistant_chunk')!;
    const lastTextId = live.filter((e) => e.event.type === 'assistant_chunk').at(-1)!.id;
    expect(textFrame.id).toBe(lastTextId);

    const full = reduced(id, live);
    expect(reduced(id, replay)).toEqual(full);
    // A client that saw the raw events up to any id k and resumes from k ends with the same conversation.
    for (let k = 1; k < lastId; k++) {
      const rest = await readEvents(await fetch(`${base}/events/${id}`, { headers: { 'last-event-id': String(k) } }), (e) => e.id === lastId);
      expect(idsOf(rest)[0]).toBeGreaterThan(k);
      const seen = live.filter((e) => e.id === undefined || e.id <= k);
      expect(reduced(id, [...seen, ...rest])).toEqual(full);
    }
  });

  it('sends events appended after the replay one frame each', async () => {
    const agent = scriptedAgent();
    server = await startTestServer({ agent });
    const { base } = server;
    const id = await createSession(base);
    const held = readEvents(await postChat(base, id, { text: 'hold on' }));
    await waitFor(() => server!.chat.sessions.get(id, 'dev')!.info().processing);
    const log = server.chat.sessions.get(id, 'dev')!.log;
    await waitFor(() => log.readAfter(0).some((e) => e.event.type === 'assistant_chunk'));
    const before = log.lastId;
    const following = readEvents(await fetch(`${base}/events/${id}?after=0`), (e) => e.event.type === 'turn_complete');
    await waitFor(() => server!.chat.sessions.get(id, 'dev')!.openStreams === 2);
    agent.release();
    await held;
    const events = await following;
    const tail = events.filter((e) => e.id !== undefined && e.id > before);
    expect(idsOf(tail)).toEqual(range(before + 1, log.lastId));
  });
});
