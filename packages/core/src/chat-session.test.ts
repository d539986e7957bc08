import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatServer, demoAgent, type ChatServer } from '@agent-chat/server';
import { createNodeListener } from '@agent-chat/server/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatApiError } from './chat-api-error.js';
import { ChatClient } from './chat-client.js';
import { ChatSession, sessionStorageKey, toChatError, type ChatError, type ChatSessionClient, type ChatSessionOptions, type SessionIdStorage } from './chat-session.js';
import type { StreamEvent } from './sse.js';

/** A Map behind the Web Storage methods ChatSession uses. */
function memoryStorage(entries: Record<string, string> = {}): SessionIdStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * The real client, with every call recorded and the event streams counted:
 * `open` is how many are being read right now, `maxOpen` the most ever at once.
 * `override` replaces single methods (a failing POST, a stream that ends at once).
 */
function instrumented(base: ChatClient, override: Partial<ChatSessionClient> = {}) {
  const calls: string[] = [];
  const streams = { open: 0, maxOpen: 0 };
  const counted = (name: string, make: () => AsyncGenerator<StreamEvent>): AsyncGenerator<StreamEvent> =>
    (async function* () {
      calls.push(name);
      streams.open++;
      streams.maxOpen = Math.max(streams.maxOpen, streams.open);
      try {
        yield* make();
      } finally {
        streams.open--;
      }
    })();
  const recorded =
    <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
    (...args: A): R => {
      calls.push(name);
      return call(...args);
    };
  const client: Required<ChatSessionClient> = {
    createSession: recorded('createSession', base.createSession.bind(base)),
    getMessages: recorded('getMessages', base.getMessages.bind(base)),
    interrupt: recorded('interrupt', base.interrupt.bind(base)),
    undo: recorded('undo', base.undo.bind(base)),
    truncate: recorded('truncate', base.truncate.bind(base)),
    send: (id, text, options) => counted('send', () => (override.send ?? base.send.bind(base))(id, text, options)),
    sendApprovals: (id, approvals, options) => counted('sendApprovals', () => base.sendApprovals(id, approvals, options)),
    subscribe: (id, options) => counted('subscribe', () => (override.subscribe ?? base.subscribe.bind(base))(id, options)),
  };
  return { client, calls, streams };
}

/** The decisions that approve everything pending. */
const approveAll = (session: ChatSession) =>
  session.state.pendingApprovals.map((p) => ({ toolCallId: p.toolCallId, decision: 'approve' as const }));

/** ChatSession against a real agent-chat server (demo agent, 2 ms per chunk) on 127.0.0.1. */
describe('ChatSession against a real server', () => {
  let sandbox: string;
  let chat: ChatServer;
  let http: Server;
  let base: ChatClient;
  const sessions: ChatSession[] = [];

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'agent-chat-session-'));
    await writeFile(join(sandbox, 'README.md'), '# Sandbox\n');
    await mkdir(join(sandbox, 'notes'));
    chat = createChatServer({
      agent: demoAgent({ sandboxDir: sandbox, chunkDelayMs: 2 }),
      maxSessionsPerUser: 1000,
      logger: { info() {}, warn() {}, error: console.error },
    });
    http = createServer(createNodeListener(chat));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    base = new ChatClient({ endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}/api` });
  });

  afterEach(() => {
    for (const session of sessions.splice(0)) session.disconnect();
  });

  afterAll(async () => {
    await chat.close();
    http.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  /** A session with its events, errors and opened ids recorded. */
  function open(options: Partial<ChatSessionOptions> = {}) {
    const events: StreamEvent[] = [];
    const errors: ChatError[] = [];
    const opened: string[] = [];
    const changes = { streamed: 0, other: 0 };
    const session = new ChatSession({
      client: base,
      storage: memoryStorage(),
      storageKey: null,
      onEvent: (event, id) => events.push({ event, id }),
      onError: (error) => errors.push(error),
      onSessionOpen: (id) => opened.push(id),
      onChange: (streamed) => void (streamed ? changes.streamed++ : changes.other++),
      ...options,
    });
    sessions.push(session);
    return { session, events, errors, opened, changes };
  }

  const sessionCount = async () => (await base.listSessions()).length;

  /** Starts a turn on `id` from another client and leaves after its first chunk; the turn goes on on the server. */
  async function startTurnElsewhere(id: string): Promise<void> {
    for await (const { event } of base.send(id, 'Resume me')) {
      if (event.type === 'assistant_chunk') break;
    }
  }

  async function expectServerState(session: ChatSession): Promise<void> {
    const history = await base.getMessages(session.sessionId!);
    expect(session.state.messages).toEqual(history.messages);
    expect(session.state.lastEventId).toBe(history.lastEventId);
  }

  it('does nothing before connect; creates a session, remembers it, and a later connect reopens it', async () => {
    const before = await sessionCount();
    const storage = memoryStorage();
    const key = sessionStorageKey('/api');
    expect(key).toBe('agent-chat:session:/api');
    const first = open({ storage, storageKey: key });
    expect(first.session.ready).toBe(false);
    expect(first.session.state.sessionId).toBeUndefined();
    expect(await sessionCount()).toBe(before);

    first.session.connect();
    await expect.poll(() => first.session.ready).toBe(true);
    const id = first.session.sessionId!;
    expect(id).toBeTruthy();
    expect(first.opened).toEqual([id]);
    expect(storage.map.get(key)).toBe(id);
    expect(first.session.state.status).toBe('idle');
    expect(first.session.streaming).toBe(false);
    expect(await sessionCount()).toBe(before + 1);

    const { client, calls } = instrumented(base);
    const second = open({ client, storage, storageKey: key });
    second.session.connect();
    await expect.poll(() => second.session.ready).toBe(true);
    expect(second.session.sessionId).toBe(id);
    expect(calls).toEqual(['getMessages']);
    expect(await sessionCount()).toBe(before + 1);
  });

  it('resumes a remembered session mid-turn: the snapshot, then every later event once', async () => {
    const { id } = await base.createSession();
    await startTurnElsewhere(id);
    const key = 'resume-key';
    let snapshotLastEventId: number | undefined;
    const { session, events } = open({
      storage: memoryStorage({ [key]: id }),
      storageKey: key,
      onSessionOpen: () => (snapshotLastEventId = session.state.lastEventId),
    });
    session.connect();
    await expect.poll(() => session.state.status, { timeout: 15_000 }).toBe('awaiting_approval');

    expect(snapshotLastEventId).toBeGreaterThan(0);
    const ids = events.map((e) => e.id!);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids[0]).toBeGreaterThan(snapshotLastEventId!);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    expect(session.state.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    await expectServerState(session);
    await session.stop();
    await expect.poll(() => session.state.status).toBe('idle');
  });

  it('forgets a remembered session the server does not know and creates one; an explicit unknown session fails', async () => {
    const storage = memoryStorage({ 'gone-key': 'gone-session' });
    const { session, errors } = open({ storage, storageKey: 'gone-key' });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(session.sessionId).not.toBe('gone-session');
    expect(storage.map.get('gone-key')).toBe(session.sessionId);
    expect(session.error).toBeUndefined();
    expect(session.failed).toBe(false);
    expect(errors).toEqual([]);

    const explicit = open({ sessionId: 'no-such-session', storage, storageKey: 'gone-key' });
    explicit.session.connect();
    await expect.poll(() => explicit.session.failed).toBe(true);
    expect(explicit.session.ready).toBe(false);
    expect(explicit.session.error).toMatchObject({ code: 'session_not_found', status: 404, retryable: false });
    expect(explicit.errors).toEqual([explicit.session.error]);
    expect(storage.map.get('gone-key')).toBe(session.sessionId);
    expect(await explicit.session.send('hello')).toBe(false);
  });

  it('remembers an explicit session it opened; with no storage key nothing is remembered', async () => {
    const { id } = await base.createSession();
    const storage = memoryStorage();
    const remembered = open({ sessionId: id, storage, storageKey: 'explicit-key' });
    remembered.session.connect();
    await expect.poll(() => remembered.session.ready).toBe(true);
    expect(storage.map.get('explicit-key')).toBe(id);

    const other = memoryStorage();
    const unremembered = open({ sessionId: id, storage: other, storageKey: null });
    unremembered.session.connect();
    await expect.poll(() => unremembered.session.ready).toBe(true);
    expect(other.map.size).toBe(0);
  });

  it('reads one event stream at a time, through send, approval, a reconnect mid-turn and the follow-up', async () => {
    const { client, calls, streams } = instrumented(base);
    const { session, events, changes } = open({ client });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(await session.send('   ')).toBe(false);

    const sending = session.send('Hello session');
    expect(session.canSend('twice')).toBe(false);
    expect(await session.send('twice')).toBe(false);
    expect(await sending).toBe(true);
    expect(session.state.status).toBe('awaiting_approval');
    expect(changes.streamed).toBeGreaterThan(10);
    await expect.poll(() => session.streaming).toBe(true);
    expect(await session.approve(approveAll(session))).toBe(true);
    expect(session.state.status).toBe('idle');

    // A second turn, restarted mid-stream: the reconnect closes the POST's stream and follows from the snapshot.
    const second = session.send('Again');
    await expect.poll(() => session.state.status).toBe('running');
    session.connect();
    expect(await second).toBe(true);
    await expect.poll(() => session.state.status, { timeout: 15_000 }).toBe('awaiting_approval');
    expect(await session.approve(approveAll(session))).toBe(true);
    await expect.poll(() => session.state.status === 'idle' && !session.streaming).toBe(true);

    expect(streams.maxOpen).toBe(1);
    expect(streams.open).toBe(0);
    expect(calls.filter((c) => c === 'subscribe').length).toBeGreaterThanOrEqual(2);
    expect(calls.filter((c) => c === 'sendApprovals')).toHaveLength(2);
    expect(events.filter((e) => e.event.type === 'turn_complete')).toHaveLength(2);
    expect(session.state.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    await expectServerState(session);
  });

  it('keeps following a turn that waits for approval: a decision taken by another client shows up', async () => {
    const { session, events } = open();
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(await session.send('Decide elsewhere')).toBe(true);
    expect(session.state.status).toBe('awaiting_approval');
    await expect.poll(() => session.streaming).toBe(true);

    const id = session.sessionId!;
    const pending = session.state.pendingApprovals.map((p) => ({ toolCallId: p.toolCallId, decision: 'reject' as const, feedback: 'not here' }));
    for await (const _ of base.sendApprovals(id, pending)) {
      // Read the resumed turn to its end.
    }
    await expect.poll(() => session.state.status === 'idle' && !session.streaming).toBe(true);
    expect(events.map((e) => e.event.type)).toContain('turn_complete');
    await expectServerState(session);
    const write = session.state.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call' && p.name === 'write_file');
    expect(write).toMatchObject({ state: 'rejected' });
  });

  it('reads the state again after a chat POST fails once the server started the turn, and follows it', async () => {
    const dropped = new ChatApiError({ status: 0, code: 'network_error', message: 'The connection was lost.' });
    const { client, calls } = instrumented(base, {
      async *send(id, text, options) {
        for await (const item of base.send(id, text, options)) {
          yield item;
          if (item.event.type === 'processing') throw dropped;
        }
      },
    });
    const { session, errors } = open({ client });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    calls.length = 0;

    expect(await session.send('Drop my POST')).toBe(true);
    expect(errors).toEqual([{ code: 'network_error', message: 'The connection was lost.', retryable: true, status: 0 }]);
    expect(session.error).toEqual(errors[0]);
    expect(calls.slice(0, 2)).toEqual(['send', 'getMessages']);
    await expect.poll(() => session.state.status, { timeout: 15_000 }).toBe('awaiting_approval');
    expect(calls).toContain('subscribe');
    expect(session.state.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    await expectServerState(session);

    // The next action clears the client error.
    expect(await session.approve(approveAll(session))).toBe(true);
    expect(session.error).toBeUndefined();
    expect(session.state.status).toBe('idle');
  });

  it('an approval answered 503 owner_unreachable (a cluster whose turn owner does not answer) stays pending and is sent again after Retry-After', async () => {
    let refusals = 1;
    const approvalPosts: number[] = [];
    const flaky = new ChatClient({
      endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`,
      fetch: async (input, init) => {
        if (init?.method === 'POST' && String(input).includes('/chat/') && String(init.body).includes('"approvals"')) {
          approvalPosts.push(Date.now());
          if (refusals-- > 0) {
            const body = { error: { code: 'owner_unreachable', message: 'The server running this turn did not answer; nothing was changed. Try again shortly.' } };
            return new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
          }
        }
        return fetch(input, init);
      },
    });
    const { session, errors } = open({ client: flaky });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    await session.send('Hello');
    expect(session.state.status).toBe('awaiting_approval');
    const pending = session.state.pendingApprovals.map((p) => p.toolCallId);

    const approving = session.approve(approveAll(session));
    await expect.poll(() => approvalPosts.length).toBe(1);
    // While it waits to try again, the approval is still pending and nothing failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.state.status).toBe('awaiting_approval');
    expect(session.state.pendingApprovals.map((p) => p.toolCallId)).toEqual(pending);
    expect(await approving).toBe(true);
    expect(approvalPosts).toHaveLength(2);
    expect(approvalPosts[1]! - approvalPosts[0]!).toBeGreaterThanOrEqual(900);
    expect(session.state.status).toBe('idle');
    expect(session.state.error).toBeUndefined();
    expect(errors).toEqual([]);
    await expectServerState(session);
  });

  it('stops a turn whose stream is open: the stream ends with interrupted', async () => {
    const { session, events } = open();
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    const sending = session.send('Stop me');
    await expect.poll(() => session.state.status).toBe('running');
    await session.stop();
    expect(await sending).toBe(true);
    await expect.poll(() => session.state.status === 'idle' && !session.streaming).toBe(true);
    const types = events.map((e) => e.event.type);
    expect(types).toContain('interrupted');
    expect(types).not.toContain('turn_complete');
    await expectServerState(session);
  });

  it('stops a turn with no stream open: reads the outcome from the server', async () => {
    const { id } = await base.createSession();
    await startTurnElsewhere(id);
    // The follow stream ends at once without an event, as if it had been lost.
    const { client, calls } = instrumented(base, {
      async *subscribe() {},
    });
    const { session } = open({ client, sessionId: id });
    session.connect();
    await expect.poll(() => calls.includes('subscribe') && !session.streaming).toBe(true);
    expect(session.state.status).toBe('running');

    calls.length = 0;
    await session.stop();
    expect(calls).toEqual(['interrupt', 'getMessages']);
    expect(session.state.status).toBe('idle');
    expect(session.state.messages.at(-1)?.role).toBe('assistant');
    await expectServerState(session);
  });

  it('a connect cancelled at once, or while creating, leaves one session (React StrictMode)', async () => {
    const before = await sessionCount();
    const storage = memoryStorage();
    const { client, calls } = instrumented(base);
    const { session } = open({ client, storage, storageKey: 'strict-key' });
    const disconnect = session.connect();
    disconnect();
    const disconnectAgain = session.connect();
    disconnect(); // A stale cleanup does not end the newer connect.
    await expect.poll(() => session.ready).toBe(true);
    expect(calls.filter((c) => c === 'createSession')).toHaveLength(1);
    expect(await sessionCount()).toBe(before + 1);
    disconnectAgain();

    const late = instrumented(base);
    const { session: other } = open({ client: late.client, storageKey: null });
    other.connect();
    await expect.poll(() => late.calls.includes('createSession')).toBe(true);
    other.disconnect();
    other.connect();
    await expect.poll(() => other.ready).toBe(true);
    expect(late.calls.filter((c) => c === 'createSession')).toHaveLength(1);
    // Another browser (nothing remembered) gets the user's session that is still empty, not a second one.
    expect(other.sessionId).toBe(session.sessionId);
    expect(await sessionCount()).toBe(before + 1);

    // Reconnecting later reopens the session it created.
    other.connect();
    await expect.poll(() => other.ready).toBe(true);
    expect(late.calls.filter((c) => c === 'createSession')).toHaveLength(1);
    expect(await sessionCount()).toBe(before + 1);
  });

  it('undo and truncate replace the history with the server’s answer; failures land in error', async () => {
    const { session, errors } = open();
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(await session.undo()).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['nothing_to_undo']);

    for (const text of ['First turn', 'Second turn']) {
      expect(await session.send(text)).toBe(true);
      expect(await session.approve(approveAll(session))).toBe(true);
      await expect.poll(() => session.state.status === 'idle' && !session.streaming).toBe(true);
    }
    expect(session.state.messages.filter((m) => m.role === 'user')).toHaveLength(2);

    expect(await session.undo()).toBe(true);
    expect(session.error).toBeUndefined();
    expect(session.state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    await expectServerState(session);

    expect(await session.truncate(0)).toBe(true);
    expect(session.state.messages).toEqual([]);
    await expectServerState(session);

    const withoutEdits = open({ client: { ...instrumented(base).client, undo: undefined, truncate: undefined } });
    withoutEdits.session.connect();
    await expect.poll(() => withoutEdits.session.ready).toBe(true);
    expect(await withoutEdits.session.undo()).toBe(false);
    expect(await withoutEdits.session.truncate(0)).toBe(false);
    expect(withoutEdits.errors).toEqual([]);
  });

  it('calls nothing after disconnect, mid-stream; the turn goes on on the server', async () => {
    const calls: string[] = [];
    const { session } = open({
      onChange: () => calls.push('change'),
      onEvent: () => calls.push('event'),
      onError: () => calls.push('error'),
      onSessionOpen: () => calls.push('open'),
    });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    const sending = session.send('Leave me');
    await expect.poll(() => session.state.status).toBe('running');
    session.disconnect();
    const seen = calls.length;
    expect(session.streaming).toBe(false);
    expect(await sending).toBe(true);
    await expect.poll(async () => (await base.getMessages(session.sessionId!)).pendingApprovals.length, { timeout: 15_000 }).toBe(1);
    expect(calls.length).toBe(seen);
    expect(session.state.status).toBe('running');
  });

  it('works when storage throws (sandboxed iframe): nothing is remembered', async () => {
    const throwing: SessionIdStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const { session, errors } = open({ storage: throwing, storageKey: 'blocked' });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(session.sessionId).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it('reportError shows the owner’s own failures, unless their connection ended', async () => {
    const { session, errors } = open();
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    const signal = session.signal;
    session.reportError(Object.assign(new Error('The part failed to load.'), { code: 'part_load_failed' }));
    expect(session.error).toEqual({ code: 'part_load_failed', message: 'The part failed to load.', retryable: false });
    session.connect();
    expect(signal.aborted).toBe(true);
    session.reportError(new Error('late'), signal);
    expect(errors.map((e) => e.code)).toEqual(['part_load_failed']);
  });
});

describe('toChatError', () => {
  it('marks as retryable what the client reconnects on: no answer, 408, 429 and 5xx', () => {
    const retryable = (status: number) => toChatError(new ChatApiError({ status, code: 'x', message: 'x' })).retryable;
    expect([0, 408, 429, 500, 503].map(retryable)).toEqual([true, true, true, true, true]);
    expect([400, 404, 409, 413].map(retryable)).toEqual([false, false, false, false]);
    expect(toChatError(new Error('boom'))).toEqual({ code: 'client_error', message: 'boom', retryable: false });
  });
});
