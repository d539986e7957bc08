import { SSE_HEADERS, createConversationState, reduce, type EventOf, type StreamEvent } from '@agent-chat/core';
import {
  compactResultSchema,
  errorBodySchema,
  healthSchema,
  llmHealthSchema,
  modelConfigSchema,
  sessionInfoSchema,
  sessionListSchema,
  sessionMessagesSchema,
  shutdownResultSchema,
  titleResultSchema,
} from '@agent-chat/core/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatServer, type ChatServer, type ChatServerOptions } from '../http/chat-server.js';
import { estimateTokens } from '../sessions/estimate-tokens.js';
import { API_OPERATIONS } from '../http/openapi.js';
import { expectResumedIds, readEvents, recordingLogger, reducedMessages, types, waitFor } from './harness.js';
import { scriptedAgent, type ScriptedAgent } from './scripted-agent.js';

/** A chat server served over real HTTP by one adapter. */
export interface AdapterHarness {
  /** `http://127.0.0.1:port` */
  origin: string;
  /** Closes the HTTP server (the suite closes the chat server first). */
  close(): Promise<void>;
}

/** Serves `chat` through the adapter under test on an ephemeral port of 127.0.0.1. */
export type AdapterFactory = (chat: ChatServer) => Promise<AdapterHarness>;

export interface SuiteServer {
  base: string;
  origin: string;
  chat: ChatServer;
  agent: ScriptedAgent;
  logger: ReturnType<typeof recordingLogger>;
  /** fetch below the base path, with the given user (header `x-user`) unless `user` is null. */
  call(path: string, init?: RequestInit & { user?: string | null }): Promise<Response>;
  /** POST with a JSON body. */
  post(path: string, body?: unknown, init?: RequestInit & { user?: string | null }): Promise<Response>;
  createSession(user?: string): Promise<string>;
}

/** Starts servers for one `describe` block and closes them after each test. */
export function useServers(factory: AdapterFactory) {
  const open: { chat: ChatServer; harness: AdapterHarness }[] = [];
  afterEach(async () => {
    for (const { chat, harness } of open.splice(0)) {
      await chat.close();
      await harness.close();
    }
  });
  return async function start(
    options: Partial<ChatServerOptions> & { agentOptions?: Parameters<typeof scriptedAgent>[0] } = {},
  ): Promise<SuiteServer> {
    const { agentOptions, ...rest } = options;
    const agent = scriptedAgent(agentOptions);
    const logger = recordingLogger();
    const chat = createChatServer({
      agent,
      logger,
      keepAliveMs: 0,
      // The suite's exact event sequences leave titles out; its title tests turn them on.
      autoTitle: false,
      auth: (request) => {
        const user = request.headers.get('x-user');
        return user ? { id: user } : null;
      },
      ...rest,
    });
    const harness = await factory(chat);
    open.push({ chat, harness });
    const base = `${harness.origin}${chat.basePath}`;
    const call = (path: string, init: RequestInit & { user?: string | null } = {}) => {
      const { user = 'ann', headers, ...requestInit } = init;
      const all = new Headers(headers);
      if (user !== null) all.set('x-user', user);
      return fetch(`${base}${path}`, { ...requestInit, headers: all });
    };
    const post = (path: string, body?: unknown, init: RequestInit & { user?: string | null } = {}) => {
      const headers = new Headers(init.headers);
      if (body !== undefined) headers.set('content-type', 'application/json');
      return call(path, { ...init, method: 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    };
    return {
      base,
      origin: harness.origin,
      chat,
      agent,
      logger,
      call,
      post,
      async createSession(user = 'ann') {
        const response = await post('/session', undefined, { user });
        if (response.status !== 201) throw new Error(`create session: ${response.status} ${await response.text()}`);
        return sessionInfoSchema.parse(await response.json()).id;
      },
    };
  };
}

/** Asserts a documented JSON error answer and returns its body. */
export async function expectError(response: Response, status: number, code: string) {
  expect(response.status, `${response.url} answered ${response.status}`).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  const body = errorBodySchema.parse(JSON.parse(text));
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

function ids(events: StreamEvent[]): number[] {
  return events.filter((e) => e.id !== undefined).map((e) => e.id!);
}

function text(events: StreamEvent[]): string {
  return events
    .filter((e) => e.event.type === 'assistant_chunk')
    .map((e) => (e.event as EventOf<'assistant_chunk'>).delta)
    .join('');
}

/**
 * The conformance suite: every route of the API, SSE streaming, resume with
 * `Last-Event-ID`, errors, a client that disconnects mid-stream and a graceful
 * `close()`, over real HTTP through the adapter that `factory` builds.
 */
export function describeConformance(name: string, factory: AdapterFactory): void {
  describe(`conformance: ${name}`, () => {
    const start = useServers(factory);

    it('serves the public routes without a user: health, LLM health, model list, OpenAPI', async () => {
      const s = await start();
      const health = healthSchema.parse(await (await s.call('/health', { user: null })).json());
      expect(health).toMatchObject({ status: 'ok', activeSessions: 0, maxSessions: 200 });
      expect(health.features).toEqual({ undo: true, truncate: true, compact: true, models: true, attachments: false });

      const llm = await s.call('/health/llm', { user: null });
      expect(llm.status).toBe(200);
      expect(llmHealthSchema.parse(await llm.json())).toMatchObject({ ok: true, model: 'small' });

      const config = modelConfigSchema.parse(await (await s.call('/config/model', { user: null })).json());
      expect(config.model).toBe('small');
      expect(config.models.map((m) => m.id)).toEqual(['small', 'large']);

      const openapi = await s.call('/openapi.json', { user: null });
      expect(openapi.status).toBe(200);
      const doc = (await openapi.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toBe('3.1.0');
      for (const op of API_OPERATIONS) expect(doc.paths[op.path]?.[op.method.toLowerCase()], `${op.method} ${op.path}`).toBeDefined();

      await expectError(await s.call('/sessions', { user: null }), 401, 'unauthorized');
      await expectError(await s.post('/config/model', { model: 'large' }, { user: null }), 401, 'unauthorized');
    });

    it('creates, lists, reads, re-models and deletes sessions', async () => {
      const s = await start();
      const created = await s.post('/session', { title: 'First', model: 'large' });
      expect(created.status).toBe(201);
      const first = sessionInfoSchema.parse(await created.json());
      expect(first).toMatchObject({ title: 'First', model: 'large', processing: false, messageCount: 0, lastEventId: 0 });
      const second = await s.createSession();
      const list = sessionListSchema.parse(await (await s.call('/sessions')).json());
      expect(list.sessions.map((x) => x.id)).toEqual([second, first.id]);
      expect(sessionInfoSchema.parse(await (await s.call(`/session/${second}`)).json()).id).toBe(second);

      const remodeled = await s.post(`/session/${second}/model`, { model: 'large' });
      expect(sessionInfoSchema.parse(await remodeled.json()).model).toBe('large');
      await expectError(await s.post(`/session/${second}/model`, { model: 'nope' }), 422, 'unknown_model');

      const config = await s.post('/config/model', { model: 'large' });
      expect(modelConfigSchema.parse(await config.json()).model).toBe('large');

      const deleted = await s.call(`/session/${second}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      await expectError(await s.call(`/session/${second}`), 404, 'session_not_found');
      expect(healthSchema.parse(await (await s.call('/health')).json()).activeSessions).toBe(1);
    });

    it('POST /session?reuse=empty answers the newest empty session: first visits and new-chat clicks never pile up empty sessions or hit the limit', async () => {
      const s = await start({ maxSessionsPerUser: 3 });
      const reuse = (body?: unknown, user = 'ann') => s.post('/session?reuse=empty', body, { user });
      const first = await reuse();
      expect(first.status).toBe(201);
      const empty = sessionInfoSchema.parse(await first.json()).id;
      // Any number of visits later, still that one session: the limit is never reached by empty ones.
      for (let visit = 0; visit < 5; visit++) {
        const again = await reuse();
        expect(again.status).toBe(200);
        expect(sessionInfoSchema.parse(await again.json()).id).toBe(empty);
      }
      // A model asked for is set on the reused session.
      expect(sessionInfoSchema.parse(await (await reuse({ model: 'large' })).json())).toMatchObject({ id: empty, model: 'large' });
      // Once it has a message it is no longer empty; another user's empty session is never answered.
      await readEvents(await s.post(`/chat/${empty}`, { text: 'hello' }));
      const bob = sessionInfoSchema.parse(await (await reuse(undefined, 'bob')).json()).id;
      const second = await reuse();
      expect(second.status).toBe(201);
      const secondId = sessionInfoSchema.parse(await second.json()).id;
      expect([empty, bob]).not.toContain(secondId);
      // A session waiting for approval, or titled, is not empty either.
      await readEvents(await s.post(`/chat/${secondId}`, { text: 'approve it' }));
      const titled = await s.post('/session?reuse=empty', { title: 'Mine' });
      expect(titled.status).toBe(201);
      const list = sessionListSchema.parse(await (await s.call('/sessions')).json());
      expect(list.sessions).toHaveLength(3);
      // At the limit with no empty session: 429, as before. Without ?reuse=empty, POST /session always creates.
      await expectError(await reuse(), 429, 'session_limit');
      await expectError(await s.post('/session?reuse=all'), 422, 'invalid_query');
      expect((await s.post('/session', undefined, { user: 'bob' })).status).toBe(201);
      expect(sessionListSchema.parse(await (await s.call('/sessions', { user: 'bob' })).json()).sessions).toHaveLength(2);
    });

    it('titles a session when its first turn starts, so a stopped first turn or one waiting for approval has a title', async () => {
      const s = await start({ autoTitle: true });
      const titleOf = async (id: string) => sessionInfoSchema.parse(await (await s.call(`/session/${id}`)).json()).title;

      const stopped = await s.createSession();
      const held = readEvents(await s.post(`/chat/${stopped}`, { text: 'hold on a second' }), (e) => e.event.type === 'interrupted');
      await waitFor(async () => (await titleOf(stopped)) !== undefined);
      expect((await (await s.post(`/interrupt/${stopped}`)).json()) as unknown).toEqual({ interrupted: true });
      const stoppedEvents = await held;
      expect(stoppedEvents.filter((e) => e.event.type === 'title').map((e) => e.event)).toEqual([
        { type: 'title', title: 'Chat about hold on a second' },
      ]);
      expect(await titleOf(stopped)).toBe('Chat about hold on a second');

      const waiting = await s.createSession();
      const approval = await readEvents(await s.post(`/chat/${waiting}`, { text: 'approve the plan' }));
      expect(approval.at(-1)!.event.type).toBe('approval_required');
      await waitFor(async () => (await titleOf(waiting)) === 'Chat about approve the plan');

      // Later turns keep the title; a title given at creation is kept.
      await readEvents(await s.post(`/chat/${stopped}`, { text: 'second turn' }));
      expect(await titleOf(stopped)).toBe('Chat about hold on a second');
      const named = sessionInfoSchema.parse(await (await s.post('/session', { title: 'Named' })).json()).id;
      const namedEvents = await readEvents(await s.post(`/chat/${named}`, { text: 'hi' }));
      expect(types(namedEvents)).not.toContain('title');
      expect(await titleOf(named)).toBe('Named');
    });

    it('streams a turn over POST /chat as SSE, and its history matches the reducer', async () => {
      const s = await start();
      const id = await s.createSession();
      const response = await s.post(`/chat/${id}`, { text: 'hello there' });
      expect(response.status).toBe(200);
      for (const [header, value] of Object.entries(SSE_HEADERS)) expect(response.headers.get(header)).toBe(value);
      const events = await readEvents(response);
      expect(types(events)).toEqual([
        'ready',
        'processing',
        'assistant_chunk',
        'assistant_chunk',
        'assistant_chunk',
        'assistant_stream_end',
        'turn_complete',
      ]);
      expect(events[0]!.id).toBeUndefined();
      expect(ids(events)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(text(events)).toBe('echo: hello there');

      const history = sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
      const reduced = events.reduce((state, e) => reduce(state, e.event, e.id), createConversationState(id));
      expect(history.messages).toEqual(JSON.parse(JSON.stringify(reduced.messages)));
      expect(history.lastEventId).toBe(6);
    });

    it('pauses at approval_required and resumes with {approvals}', async () => {
      const s = await start();
      const id = await s.createSession();
      const first = await readEvents(await s.post(`/chat/${id}`, { text: 'approve it' }));
      const approval = first.at(-1)!.event as EventOf<'approval_required'>;
      expect(approval.type).toBe('approval_required');
      expect(sessionInfoSchema.parse(await (await s.call(`/session/${id}`)).json()).awaitingApproval).toBe(true);
      await expectError(await s.post(`/undo/${id}`), 409, 'turn_running');
      const second = await readEvents(
        await s.post(`/chat/${id}`, { approvals: [{ toolCallId: approval.tools[0]!.toolCallId, decision: 'approve' }] }),
      );
      expect(types(second).slice(0, 3)).toEqual(['ready', 'tool_state_change', 'processing']);
      expect(text(second)).toBe('done (approve)');
      expect(second.at(-1)!.event.type).toBe('turn_complete');
    });

    it('titles, undoes, truncates, compacts and shuts down a session', async () => {
      const s = await start();
      const id = await s.createSession();
      for (const words of ['one', 'two', 'three', 'four']) await readEvents(await s.post(`/chat/${id}`, { text: words }));

      const titled = titleResultSchema.parse(await (await s.post('/title', { text: 'plan a trip', sessionId: id })).json());
      expect(titled.title).toBe('Chat about plan a trip');
      const anonymous = titleResultSchema.parse(await (await s.post('/title', { text: 'no session here' })).json());
      expect(anonymous.title).toBe('Chat about no session here');

      const undone = sessionMessagesSchema.parse(await (await s.post(`/undo/${id}`)).json());
      expect(undone.messages.filter((m) => m.role === 'user')).toHaveLength(3);
      expect(undone.title).toBe('Chat about plan a trip');

      const truncated = sessionMessagesSchema.parse(await (await s.post(`/truncate/${id}`, { userMessageIndex: 2 })).json());
      expect(truncated.messages.filter((m) => m.role === 'user').map((m) => m.parts[0])).toMatchObject([
        { text: 'one' },
        { text: 'two' },
      ]);
      await readEvents(await s.post(`/chat/${id}`, { text: 'five' }));

      const before = sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
      const compacted = compactResultSchema.parse(await (await s.post(`/compact/${id}`)).json());
      const after = sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
      expect(compacted).toEqual({ tokensBefore: estimateTokens(before.messages), tokensAfter: estimateTokens(after.messages) });
      expect(after.messages[0]).toMatchObject({ role: 'assistant', summary: true, parts: [{ type: 'text', text: 'SUMMARY of 2 messages' }] });
      expect(after.messages.filter((m) => m.role === 'user').map((m) => m.parts[0])).toMatchObject([{ text: 'two' }, { text: 'five' }]);

      const stream = readEvents(await s.call(`/events/${id}`));
      await waitFor(() => s.chat.sessions.get(id, 'ann')!.openStreams === 1);
      const shutdown = shutdownResultSchema.parse(await (await s.post(`/shutdown/${id}`)).json());
      expect(shutdown.interrupted).toBe(false);
      const events = await stream;
      expect(events.at(-1)!.event).toMatchObject({ type: 'shutdown', reason: 'session_shutdown' });
      // History is kept and the session takes new turns.
      expect(sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json()).messages).toEqual(after.messages);
      expect(text(await readEvents(await s.post(`/chat/${id}`, { text: 'six' })))).toBe('echo: six');
    });

    it('resumes with Last-Event-ID and ?after=: exactly the missing events, then the live tail', async () => {
      const s = await start();
      const id = await s.createSession();
      const all = await readEvents(await s.post(`/chat/${id}`, { text: 'first turn' }));
      const lastId = ids(all).at(-1)!;

      const fromHeader = s.call(`/events/${id}`, { headers: { 'last-event-id': '2' } });
      const fromQuery = s.call(`/events/${id}?after=4`);
      const [header, query] = await Promise.all([fromHeader, fromQuery]);
      const headerEvents = readEvents(header, (e) => e.event.type === 'turn_complete' && e.id! > lastId);
      const queryEvents = readEvents(query, (e) => e.event.type === 'turn_complete' && e.id! > lastId);
      await waitFor(() => s.chat.sessions.get(id, 'ann')!.openStreams === 2);
      await readEvents(await s.post(`/chat/${id}`, { text: 'second turn' }));

      const h = await headerEvents;
      const q = await queryEvents;
      expect(h[0]!.event).toMatchObject({ type: 'ready', lastEventId: lastId });
      const end = ids(h).at(-1)!;
      // The replay merges runs of chunks (one frame, the run's last id); the live tail is one frame per event.
      expectResumedIds(ids(h), 2, end, lastId + 1);
      expectResumedIds(ids(q), 4, end, lastId + 1);
      expect(reducedMessages(id, q).at(-1)).toEqual(reducedMessages(id, h).at(-1));

      const snapshot = await readEvents(await s.call(`/events/${id}`), (e) => e.event.type === 'snapshot');
      expect(types(snapshot)).toEqual(['ready', 'snapshot']);
      expect(snapshot[1]!.id).toBe(end);
      await expectError(await s.call(`/events/${id}`, { headers: { 'last-event-id': String(end + 1) } }), 400, 'invalid_cursor');
    });

    it('answers errors as documented JSON: 400, 404, 405 with Allow, 409, 413, 415, 422', async () => {
      const s = await start({ maxBodyBytes: 2048 });
      const id = await s.createSession();
      await expectError(await s.call(`/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' }), 400, 'invalid_json');
      await expectError(await s.post(`/chat/${id}`, { text: 'x'.repeat(4000) }), 413, 'payload_too_large');
      await expectError(await s.call(`/chat/${id}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }), 415, 'unsupported_media_type');
      const invalid = await expectError(await s.post(`/chat/${id}`, { text: 7 }), 422, 'invalid_body');
      expect(invalid.error.issues?.[0]?.path).toEqual(['text']);
      await expectError(await s.post(`/truncate/${id}`, { userMessageIndex: 0 }), 422, 'invalid_body');
      await expectError(await s.post(`/undo/${id}`), 409, 'nothing_to_undo');
      await expectError(await s.call('/nope'), 404, 'route_not_found');
      await expectError(await s.call(`/session/00000000-0000-4000-8000-000000000000`), 404, 'session_not_found');
      const wrong = await s.call(`/undo/${id}`);
      await expectError(wrong, 405, 'method_not_allowed');
      expect(wrong.headers.get('allow')).toBe('POST');

      const hold = await s.post(`/chat/${id}`, { text: 'hold on' });
      const holding = readEvents(hold);
      await expectError(await s.post(`/chat/${id}`, { text: 'again' }), 409, 'turn_running');
      await expectError(await s.post(`/compact/${id}`), 409, 'turn_running');
      await expectError(await s.post(`/truncate/${id}`, { userMessageIndex: 0 }), 409, 'turn_running');
      s.agent.release();
      expect((await holding).at(-1)!.event.type).toBe('turn_complete');
      expect((await s.call('/health')).status).toBe(200);
    });

    it('keeps the turn running when the client disconnects mid-stream, and frees the stream', async () => {
      const s = await start();
      const id = await s.createSession();
      const session = s.chat.sessions.get(id, 'ann')!;
      const controller = new AbortController();
      const response = await s.post(`/chat/${id}`, { text: 'hold please' }, { signal: controller.signal });
      const seen = await readEvents(response, (e) => e.event.type === 'assistant_chunk').catch(() => []);
      expect(text(seen)).toBe('holding…');
      controller.abort();
      await waitFor(() => session.openStreams === 0);
      expect(session.runner.running).toBe(true);

      const lastSeen = ids(seen).at(-1)!;
      const resumed = readEvents(await s.call(`/events/${id}`, { headers: { 'last-event-id': String(lastSeen) } }), (e) =>
        e.event.type === 'turn_complete',
      );
      await waitFor(() => session.openStreams === 1);
      s.agent.release();
      const rest = await resumed;
      expect(ids(rest)[0]).toBe(lastSeen + 1);
      expect(text([...seen, ...rest])).toBe('holding… released');
      expect(session.runner.running).toBe(false);
    });

    it('close(): ends every stream with shutdown, interrupts the turn, then refuses new work with 503', async () => {
      const s = await start();
      const id = await s.createSession();
      const subscription = readEvents(await s.call(`/events/${id}`));
      const chat = readEvents(await s.post(`/chat/${id}`, { text: 'hold on' }));
      await waitFor(() => s.chat.sessions.get(id, 'ann')!.openStreams === 2);
      await s.chat.close();
      expect((await chat).at(-1)!.event.type).toBe('interrupted');
      const sub = await subscription;
      expect(types(sub).slice(-2)).toEqual(['interrupted', 'shutdown']);
      expect(sub.at(-1)!.event).toMatchObject({ reason: 'server_shutdown' });
      const refused = await s.post(`/chat/${id}`, { text: 'more' });
      expect(refused.headers.get('retry-after')).toBe('5');
      await expectError(refused, 503, 'shutting_down');
      await expectError(await s.post('/session'), 503, 'shutting_down');
    });
  });
}
