import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from './__fixtures__/scripted-sse-server.js';
import { ChatApiError } from './chat-api-error.js';
import { ChatClient, type ChatClientOptions, type ConnectionState } from './chat-client.js';
import type { AgentEvent } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { parseAgentEvent } from './schemas/events.js';
import { encodeSseFrame, SSE_HEADERS, type StreamEvent } from './sse.js';

const history: AgentEvent[] = [
  { type: 'processing', turnId: 't0', assistantMessageId: 'a0', userMessage: { id: 'u0', text: 'Earlier' } },
  { type: 'turn_complete', turnId: 't0', stopReason: 'end_turn' },
];

const turn: AgentEvent[] = [
  { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'Hello' } },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'One ' },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'two ' },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'three 😀' },
  { type: 'assistant_stream_end', messageId: 'a1' },
  { type: 'tool_call', messageId: 'a1', toolCallId: 'c1', name: 'calculate', input: { expression: '1+1' } },
  { type: 'tool_output', toolCallId: 'c1', output: '2', isError: false },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'Done.' },
  { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' },
];

/** The turn's events as a chat POST must deliver them: ids after the history, in order. */
const turnEvents: StreamEvent[] = turn.map((event, i) => ({ id: history.length + 1 + i, event }));

const fast: ChatClientOptions['reconnect'] = { initialDelayMs: 20, maxDelayMs: 80 };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ScriptedServerOptions> = {}): Promise<ScriptedServer> {
  server = await startScriptedServer({ history, turn, ...options });
  return server;
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** The events that carry an id, i.e. everything but `ready`. */
const sequenced = (events: StreamEvent[]) => events.filter((e) => e.event.type !== 'ready');

function json(res: ServerResponse, status: number, body?: unknown): true {
  if (body === undefined) {
    res.writeHead(status).end();
  } else {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
  return true;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  ]);

describe('ChatClient.send', () => {
  it('posts the text and yields ready then every event up to the terminal one', async () => {
    const { endpoint, requests } = await start();
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.send('s1', 'Hello'));

    expect(events[0]).toEqual({
      event: { type: 'ready', protocolVersion: '1.0', sessionId: 's1', lastEventId: 2 },
    });
    expect(events.slice(1)).toEqual(turnEvents);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/api/chat/s1', body: { text: 'Hello' } });
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(requests[0]!.headers.accept).toBe('text/event-stream');
  });

  it('resumes through repeated drops (one inside a torn frame) with Last-Event-ID: every event once, in order', async () => {
    const { endpoint, requests } = await start({
      connections: [{ dropAfter: 3 }, { dropAfter: 2, tearFrame: true }, {}],
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.send('s1', 'Hello'));

    expect(events.filter((e) => e.event.type === 'ready')).toHaveLength(1);
    expect(sequenced(events)).toEqual(turnEvents);
    expect(requests.map((r) => [r.method, r.path, r.headers['last-event-id']])).toEqual([
      ['POST', '/api/chat/s1', undefined],
      ['GET', '/api/events/s1', '5'],
      ['GET', '/api/events/s1', '7'],
    ]);
    // Backoff: each reconnection waits at least half the initial delay (the jitter's floor).
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]!.at - requests[i - 1]!.at).toBeGreaterThanOrEqual(9);
    }
  });

  it('resumes from the ready event\'s lastEventId when the stream drops before any event', async () => {
    const { endpoint, requests } = await start({ connections: [{ dropAfter: 0 }] });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.send('s1', 'Hello'));

    expect(sequenced(events)).toEqual(turnEvents);
    expect(requests[1]!.headers['last-event-id']).toBe(String(history.length));
  });

  it('resumes from a snapshot when the stream drops before ready, and ends there once the turn is over', async () => {
    const { endpoint, requests } = await start({ connections: [{ dropBeforeReady: true }] });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.send('s1', 'Hello'));

    expect(requests.map((r) => [r.method, r.headers['last-event-id']])).toEqual([
      ['POST', undefined],
      ['GET', undefined],
    ]);
    expect(events.map((e) => e.event.type)).toEqual(['ready', 'snapshot']);
    expect(events[1]).toMatchObject({ id: history.length + turn.length, event: { processing: false } });
  });

  it('drops events a resumed stream sends again', async () => {
    const { endpoint } = await start({ connections: [{ dropAfter: 4 }, { overlap: 3 }] });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const ids = sequenced(await collect(client.send('s1', 'Hello'))).map((e) => e.id);
    expect(ids).toEqual(turnEvents.map((e) => e.id));
  });

  it('sends approvals as {approvals} and ends after approval_required', async () => {
    const approvalTurn: AgentEvent[] = [
      { type: 'processing', turnId: 't1', assistantMessageId: 'a1' },
      { type: 'tool_call', messageId: 'a1', toolCallId: 'c2', name: 'write_file', input: {} },
      { type: 'approval_required', turnId: 't1', messageId: 'a1', tools: [{ toolCallId: 'c2', name: 'write_file', input: {} }] },
      { type: 'title', title: 'never reached' },
    ];
    const { endpoint, requests } = await start({ turn: approvalTurn });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const approvals = [{ toolCallId: 'c1', decision: 'reject' as const, feedback: 'no' }];
    const events = sequenced(await collect(client.sendApprovals('s1', approvals)));

    expect(events.map((e) => e.event.type)).toEqual(['processing', 'tool_call', 'approval_required']);
    expect(requests[0]!.body).toEqual({ approvals });
  });

  it('throws the JSON error body of a refused POST (code, message, issues) and does not retry', async () => {
    const issues = [{ path: ['text'], message: 'text must not be empty' }];
    const { endpoint, requests } = await start({
      intercept: (_req, res) => json(res, 422, { error: { code: 'invalid_body', message: 'Invalid body', issues } }),
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const error = await collect(client.send('s1', ' ')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_body', message: 'Invalid body', issues });
    expect(requests).toHaveLength(1);
  });

  it('throws a 404 as ChatApiError without retry', async () => {
    const { endpoint, requests } = await start({
      intercept: (_req, res) => json(res, 404, { error: { code: 'session_not_found', message: 'No such session' } }),
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    await expect(collect(client.send('nope', 'Hi'))).rejects.toMatchObject({
      name: 'ChatApiError',
      status: 404,
      code: 'session_not_found',
    });
    expect(requests).toHaveLength(1);
  });

  it('does not repeat a POST that got no answer, and says network_error', async () => {
    const { endpoint } = await start();
    await server!.close();
    server = undefined;
    const client = new ChatClient({ endpoint, reconnect: fast });
    await expect(collect(client.send('s1', 'Hi'))).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('refuses a 2xx answer that is not an event stream', async () => {
    const { endpoint } = await start({ intercept: (_req, res) => json(res, 200, { ok: true }) });
    const client = new ChatClient({ endpoint, reconnect: fast });
    await expect(collect(client.send('s1', 'Hi'))).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('throws ProtocolError for an event that breaks the protocol, without reconnecting', async () => {
    const { endpoint, requests } = await start({
      intercept: (_req, res) => {
        res.writeHead(200, SSE_HEADERS);
        res.end(encodeSseFrame({ id: 1, event: 'title', data: '{"type":"title","title":5}' }));
        return true;
      },
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    await expect(collect(client.send('s1', 'Hi'))).rejects.toBeInstanceOf(ProtocolError);
    expect(requests).toHaveLength(1);
  });

  it('validates events strictly with decodeEvent: parseAgentEvent from /schemas', async () => {
    // A tool state this version does not know: the light check takes any string, the zod enum does not.
    const event = { type: 'tool_state_change', toolCallId: 'c1', state: 'paused' };
    const end = { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' };
    const { endpoint } = await start({
      intercept: (_req, res) => {
        res.writeHead(200, SSE_HEADERS);
        res.write(encodeSseFrame({ id: 1, event: event.type, data: JSON.stringify(event) }));
        res.end(encodeSseFrame({ id: 2, event: end.type, data: JSON.stringify(end) }));
        return true;
      },
    });
    expect(await collect(new ChatClient({ endpoint, reconnect: fast }).send('s1', 'Hi'))).toEqual([
      { id: 1, event },
      { id: 2, event: end },
    ]);

    const strict = new ChatClient({ endpoint, reconnect: fast, decodeEvent: parseAgentEvent });
    const error = await collect(strict.send('s1', 'Hi')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).cause).toMatchObject({ issues: [expect.objectContaining({ path: ['state'] })] });
  });

  it('ends quietly when the signal aborts, and the server sees the connection close', async () => {
    const { endpoint, requests } = await start({ paceMs: 200 });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    for await (const item of client.send('s1', 'Hello', { signal: controller.signal })) {
      seen.push(item);
      if (item.event.type === 'ready') setTimeout(() => controller.abort(), 10);
    }
    expect(seen.map((e) => e.event.type)).toEqual(['ready']);
    await withTimeout(requests[0]!.closed, 1000, 'server to see the close');
    // Closed by the client: the server was still pacing the turn (200 ms per event).
    expect(requests[0]!.eventsSent).toBeLessThan(turn.length);
    expect(requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { endpoint, requests } = await start();
    const client = new ChatClient({ endpoint });
    expect(await collect(client.send('s1', 'Hi', { signal: AbortSignal.abort() }))).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});

describe('ChatClient.subscribe', () => {
  it('reconnects after repeated drops, resuming from the last id, with connection states', async () => {
    const { endpoint, requests } = await start({
      connections: [{ dropAfter: 2 }, { dropAfter: 1 }, { dropAfter: 3, tearFrame: true }, {}],
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const states: ConnectionState[] = [];
    const events = await collect(
      client.subscribe('s1', { after: 2, untilTerminal: true, onConnectionChange: (s) => states.push(s) }),
    );

    expect(sequenced(events)).toEqual(turnEvents);
    expect(events.filter((e) => e.event.type === 'ready')).toHaveLength(1);
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual(['2', '4', '5', '8']);
    expect(states).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'open',
      'reconnecting',
      'open',
      'reconnecting',
      'open',
      'closed',
    ]);
  });

  it('without a cursor starts from a snapshot; untilTerminal ends there when no turn runs', async () => {
    const { endpoint, requests } = await start();
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.subscribe('s1', { untilTerminal: true }));

    expect(requests[0]!.headers['last-event-id']).toBeUndefined();
    expect(events.map((e) => e.event.type)).toEqual(['ready', 'snapshot']);
    const snapshot = events[1]!;
    expect(snapshot.id).toBe(history.length + turn.length);
    expect(snapshot.event).toMatchObject({ type: 'snapshot', processing: false, pendingApprovals: [] });
  });

  it('follows the session past terminal events, until the consumer leaves; the server sees the close', async () => {
    const { endpoint, requests } = await start();
    const client = new ChatClient({ endpoint, reconnect: fast });
    const ids: number[] = [];
    for await (const { id } of client.subscribe('s1', { after: 0 })) {
      if (id !== undefined) ids.push(id);
      if (id === history.length + turn.length) break;
    }
    expect(ids).toEqual([1, 2, ...turnEvents.map((e) => e.id)]);
    await withTimeout(requests[0]!.closed, 2000, 'server to see the close');
  });

  it('retries 5xx answers with backoff, then streams', async () => {
    let refusals = 0;
    const { endpoint, requests } = await start({
      intercept: (_req, res) => {
        if (refusals >= 2) return false;
        refusals += 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
        return true;
      },
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const events = await collect(client.subscribe('s1', { after: 2, untilTerminal: true }));

    expect(sequenced(events)).toEqual(turnEvents);
    expect(requests).toHaveLength(3);
    expect(requests[2]!.at - requests[0]!.at).toBeGreaterThanOrEqual(9 + 19);
  });

  it('gives up with reconnect_failed after maxAttempts failures in a row', async () => {
    const { endpoint, requests } = await start({
      intercept: (_req, res) => json(res, 502, { error: { code: 'bad_gateway', message: 'Upstream down' } }),
    });
    const client = new ChatClient({ endpoint, reconnect: { ...fast, maxAttempts: 3 } });
    const error = await collect(client.subscribe('s1', { after: 2 })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ code: 'reconnect_failed', status: 502 });
    expect((error as ChatApiError).cause).toMatchObject({ code: 'bad_gateway', status: 502 });
    expect(requests).toHaveLength(3);
  });

  it('throws a 404 as ChatApiError without retry', async () => {
    const { endpoint, requests } = await start({
      intercept: (_req, res) => json(res, 404, { error: { code: 'session_not_found', message: 'No such session' } }),
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const error = await collect(client.subscribe('gone')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 404, code: 'session_not_found', message: 'No such session' });
    expect(requests).toHaveLength(1);
  });

  it('a 4xx on a reconnection is final too', async () => {
    const { endpoint, requests } = await start({
      connections: [{ dropAfter: 1 }],
      intercept: (_req, res) =>
        requests.length > 1 && json(res, 400, { error: { code: 'invalid_cursor', message: 'Cursor beyond the log' } }),
    });
    const client = new ChatClient({ endpoint, reconnect: fast });
    const seen: StreamEvent[] = [];
    const error = await (async () => {
      for await (const item of client.subscribe('s1', { after: 2 })) seen.push(item);
    })().catch((e: unknown) => e);
    expect(sequenced(seen)).toEqual(turnEvents.slice(0, 1));
    expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
    expect(requests).toHaveLength(2);
  });

  it('an abort while waiting to reconnect ends the generator at once', async () => {
    const { endpoint, requests } = await start({ intercept: (_req, res) => json(res, 503, undefined) });
    const client = new ChatClient({ endpoint, reconnect: { initialDelayMs: 10_000 } });
    const controller = new AbortController();
    const states: ConnectionState[] = [];
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    const events = await collect(
      client.subscribe('s1', { signal: controller.signal, onConnectionChange: (s) => states.push(s) }),
    );
    expect(events).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(requests).toHaveLength(1);
    expect(states).toEqual(['connecting', 'reconnecting', 'closed']);
  });

  it('an abort while streaming closes the connection', async () => {
    const { endpoint, requests } = await start();
    const client = new ChatClient({ endpoint, reconnect: fast });
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    for await (const item of client.subscribe('s1', { after: 0, signal: controller.signal })) {
      seen.push(item);
      // The log is replayed; then the subscription idles on the live tail until the abort.
      if (item.id === history.length + turn.length) setTimeout(() => controller.abort(), 20);
    }
    expect(sequenced(seen)).toHaveLength(history.length + turn.length);
    await withTimeout(requests[0]!.closed, 2000, 'server to see the close');
  });
});

describe('ChatClient requests', () => {
  const info = {
    id: 's/1',
    createdAt: 1,
    updatedAt: 2,
    processing: false,
    awaitingApproval: false,
    messageCount: 0,
    lastEventId: 0,
  };

  it('speaks every JSON route, with the configured headers on each request', async () => {
    const { endpoint, requests } = await start({
      intercept: (req, res, recorded) => {
        const route = `${req.method} ${recorded.path}`;
        switch (route) {
          case 'POST /api/session':
            return json(res, 201, { ...info, title: 'T', addedLater: true });
          case 'GET /api/sessions':
            return json(res, 200, { sessions: [info] });
          case 'GET /api/session/s%2F1':
            return json(res, 200, info);
          case 'GET /api/session/s%2F1/messages':
            return json(res, 200, { messages: [], pendingApprovals: [], processing: false, lastEventId: 0 });
          case 'POST /api/interrupt/s%2F1':
            return json(res, 200, { interrupted: true });
          case 'DELETE /api/session/s%2F1':
            return json(res, 204);
          default:
            return json(res, 404, { error: { code: 'route_not_found', message: route } });
        }
      },
    });
    let token = 0;
    const client = new ChatClient({
      endpoint: `${endpoint}/`,
      headers: async () => ({ authorization: `Bearer ${++token}` }),
    });

    expect(await client.createSession({ title: 'T' })).toEqual({ ...info, title: 'T', addedLater: true });
    expect(await client.listSessions()).toEqual([info]);
    expect(await client.getSession('s/1')).toEqual(info);
    expect(await client.getMessages('s/1')).toEqual({
      messages: [],
      pendingApprovals: [],
      processing: false,
      lastEventId: 0,
    });
    expect(await client.interrupt('s/1')).toEqual({ interrupted: true });
    await expect(client.deleteSession('s/1')).resolves.toBeUndefined();

    expect(requests[0]!.body).toEqual({ title: 'T' });
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(requests.map((r) => r.headers.authorization)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Bearer ${n}`));
  });

  it('surfaces the JSON error body and falls back to http_error without one', async () => {
    const { endpoint } = await start({
      intercept: (req, res) => {
        if (req.method === 'POST') {
          return json(res, 429, { error: { code: 'session_limit', message: 'Too many sessions' } });
        }
        if (req.method === 'DELETE') return json(res, 404, { error: { code: 'session_not_found', message: 'Gone' } });
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
        return true;
      },
    });
    const client = new ChatClient({ endpoint, headers: { authorization: 'Bearer x' } });

    await expect(client.createSession()).rejects.toMatchObject({ status: 429, code: 'session_limit', message: 'Too many sessions' });
    await expect(client.deleteSession('x')).rejects.toMatchObject({ status: 404, code: 'session_not_found' });
    const error = await client.listSessions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 502, code: 'http_error', message: expect.stringContaining('Bad gateway') });
  });

  it('rejects an answer of the wrong shape with invalid_response', async () => {
    const { endpoint } = await start({ intercept: (_req, res) => json(res, 200, { id: 42 }) });
    const client = new ChatClient({ endpoint });
    await expect(client.getSession('s1')).rejects.toMatchObject({
      code: 'invalid_response',
      status: 200,
      message: 'GET /session/s1 answered with an unexpected shape: id must be a string, got a number',
      cause: expect.any(ProtocolError),
    });
  });

  it('reports an unreachable server as network_error', async () => {
    const { endpoint } = await start();
    await server!.close();
    server = undefined;
    await expect(new ChatClient({ endpoint }).listSessions()).rejects.toMatchObject({
      name: 'ChatApiError',
      code: 'network_error',
      status: 0,
    });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const client = new ChatClient({
      endpoint: 'http://example.invalid/api',
      fetch: async (input) => {
        seen.push(String(input));
        return new Response(JSON.stringify({ interrupted: false }), { headers: { 'content-type': 'application/json' } });
      },
    });
    expect(await client.interrupt('abc')).toEqual({ interrupted: false });
    expect(seen).toEqual(['http://example.invalid/api/interrupt/abc']);
  });
});

describe('ChatClient session API methods', () => {
  const messages = {
    messages: [{ id: 'u0', role: 'user', parts: [{ type: 'text', text: 'Earlier', state: 'done' }] }],
    pendingApprovals: [],
    processing: false,
    lastEventId: 3,
  };
  const info = { id: 's1', model: 'large', createdAt: 1, updatedAt: 2, processing: false, awaitingApproval: false, messageCount: 0, lastEventId: 0 };
  const answers: Record<string, [number, unknown]> = {
    'GET /api/health': [200, { status: 'ok', protocolVersion: '1.0', activeSessions: 1, maxSessions: 200, features: { undo: true, truncate: true, compact: true, models: true, attachments: false } }],
    'GET /api/health/llm': [503, { ok: false, model: 'm', error: 'overloaded' }],
    'GET /api/config/model': [200, { model: null, models: [{ id: 'm', label: 'M', recommended: true }] }],
    'POST /api/config/model': [200, { model: 'm', models: [{ id: 'm', label: 'M' }] }],
    'POST /api/session/s1/model': [200, info],
    'POST /api/title': [200, { title: 'A title' }],
    'POST /api/undo/s1': [200, messages],
    'POST /api/truncate/s1': [200, messages],
    'POST /api/compact/s1': [200, { tokensBefore: 100, tokensAfter: 20 }],
    'POST /api/shutdown/s1': [200, { interrupted: true }],
    'POST /api/undo/busy': [409, { error: { code: 'turn_running', message: 'A turn is running.' } }],
  };
  const startApi = () =>
    start({
      intercept: (_req, res, recorded) => {
        const answer = answers[`${recorded.method} ${recorded.path}`];
        return answer ? json(res, answer[0], answer[1]) : false;
      },
    });

  it('calls each route with its method, path and body, and parses the answer', async () => {
    const { endpoint, requests } = await startApi();
    const client = new ChatClient({ endpoint });

    expect((await client.health()).features).toEqual({ undo: true, truncate: true, compact: true, models: true, attachments: false });
    expect(await client.llmHealth()).toEqual({ ok: false, model: 'm', error: 'overloaded' });
    expect(await client.getModelConfig()).toEqual({ model: null, models: [{ id: 'm', label: 'M', recommended: true }] });
    expect((await client.setDefaultModel('m')).model).toBe('m');
    expect((await client.setSessionModel('s1', 'large')).model).toBe('large');
    expect(await client.generateTitle('Plan a trip')).toEqual({ title: 'A title' });
    await client.generateTitle('Plan a trip', 's1');
    expect((await client.undo('s1')).lastEventId).toBe(3);
    expect((await client.truncate('s1', 2)).messages).toHaveLength(1);
    expect(await client.compact('s1')).toEqual({ tokensBefore: 100, tokensAfter: 20 });
    expect(await client.shutdown('s1')).toEqual({ interrupted: true });

    expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/api/health', undefined],
      ['GET', '/api/health/llm', undefined],
      ['GET', '/api/config/model', undefined],
      ['POST', '/api/config/model', { model: 'm' }],
      ['POST', '/api/session/s1/model', { model: 'large' }],
      ['POST', '/api/title', { text: 'Plan a trip' }],
      ['POST', '/api/title', { text: 'Plan a trip', sessionId: 's1' }],
      ['POST', '/api/undo/s1', undefined],
      ['POST', '/api/truncate/s1', { userMessageIndex: 2 }],
      ['POST', '/api/compact/s1', undefined],
      ['POST', '/api/shutdown/s1', undefined],
    ]);
  });

  it('throws ChatApiError with the server code, e.g. 409 turn_running on undo', async () => {
    const { endpoint } = await startApi();
    const error = await new ChatClient({ endpoint }).undo('busy').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 409, code: 'turn_running' });
  });

  it('reads a health answer of an older server without features as no features', async () => {
    const { endpoint } = await start({
      intercept: (_req, res, recorded) =>
        recorded.path === '/api/health' && json(res, 200, { status: 'ok', protocolVersion: '1.0', activeSessions: 0, maxSessions: 5 }),
    });
    const health = await new ChatClient({ endpoint }).health();
    expect(health.features).toEqual({ undo: false, truncate: false, compact: false, models: false, attachments: false });
  });
});
