import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAgent } from '@ag-ui/client';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Agent } from '../agents/agent.js';
import { createNodeListener } from '../adapters/node.js';
import { createChatServer, type ChatServer, type ChatServerOptions } from '../http/chat-server.js';
import { recordingLogger, waitFor } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { redisStore } from '../stores/redis.js';
import { sqliteStore } from '../stores/sqlite.js';
import { agUiHandler } from './ag-ui/handler.js';
import { aiSdkUiHandler } from './ai-sdk-ui/handler.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `agent-chat-test:${randomUUID()}`;

/** A chat server with both endpoints mounted beside its API, as the examples mount them, on a real port. */
interface Host {
  origin: string;
  base: string;
  chat: ChatServer;
  agent: ReturnType<typeof scriptedAgent>;
  close(): Promise<void>;
}

const hosts: Host[] = [];

async function host(options: Partial<ChatServerOptions> = {}): Promise<Host> {
  const agent = scriptedAgent();
  const chat = createChatServer({
    agent: agent as Agent,
    logger: recordingLogger(),
    keepAliveMs: 0,
    // The user is named by a header, so that one test can be two users.
    auth: (request) => ({ id: request.headers.get('x-user') ?? 'ann' }),
    ...options,
  });
  const agUi = createNodeListener(agUiHandler(chat));
  const uiChat = createNodeListener(aiSdkUiHandler(chat));
  const api = createNodeListener(chat);
  const http: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/ag-ui') return agUi(req, res);
    if (path === '/api/ui-chat' || path.startsWith('/api/ui-chat/')) return uiChat(req, res);
    return api(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const h: Host = {
    origin,
    base: `${origin}/api`,
    chat,
    agent,
    async close() {
      await chat.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
  hosts.push(h);
  return h;
}

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const runInput = (threadId: string, text: string) => ({
  threadId,
  runId: randomUUID(),
  messages: [{ id: randomUUID(), role: 'user', content: text }],
  tools: [],
  context: [],
  state: {},
  forwardedProps: {},
});
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A UI message stream response as the chunks DefaultChatTransport reads. */
function parseChunks(response: Response): ReadableStream<import('ai').UIMessageChunk> {
  const frames = response.body!.pipeThrough(new TextDecoderStream());
  let buffer = '';
  return frames.pipeThrough(
    new TransformStream<string, import('ai').UIMessageChunk>({
      transform(text, controller) {
        buffer += text;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
          if (data && data !== '[DONE]') controller.enqueue(JSON.parse(data));
        }
      },
    }),
  );
}

async function assistantText(message: ReadableStream<import('ai').UIMessageChunk>): Promise<string> {
  let last: UIMessage | undefined;
  for await (const m of readUIMessageStream({ stream: message, terminateOnError: true })) last = m;
  return last!.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
}

async function messagesOf(base: string, sessionId: string, userId = 'ann') {
  const response = await fetch(`${base}/session/${sessionId}/messages`, { headers: { 'x-user': userId } });
  return { status: response.status, body: (await response.json()) as { messages: Array<{ role: string; parts: Array<{ type: string; text?: string }> }> } };
}

describe('the endpoints share the API\'s stream caps', () => {
  it('a stream past maxStreamsPerSession is 429 too_many_streams with Retry-After, on both endpoints, counted with the API\'s own streams', async () => {
    const h = await host({ maxStreamsPerSession: 2 });
    const threadId = randomUUID();
    // One AG-UI run held open (the scripted agent holds "hold" turns until released) and one API event stream: the cap of 2.
    const run = await post(`${h.base}/ag-ui`, runInput(threadId, 'hold on'));
    expect(run.status).toBe(200);
    const events = await fetch(`${h.base}/events/${threadId}`, { headers: { 'last-event-id': '0' } });
    expect(events.status).toBe(200);

    const refused = await fetch(`${h.base}/ui-chat/${threadId}/stream`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_streams' } });
    const refusedRun = await post(`${h.base}/ag-ui`, { ...runInput(threadId, 'x'), messages: [] }, { 'last-event-id': '1' });
    expect(refusedRun.status).toBe(429);
    expect((await refusedRun.json()) as unknown).toMatchObject({ error: { code: 'too_many_streams' } });

    // A slot frees when a stream ends: the run ends once released, and the resume stream is allowed again.
    h.agent.release();
    await run.text();
    await waitFor(async () => {
      const again = await fetch(`${h.base}/ui-chat/${threadId}/stream`);
      await again.body?.cancel();
      return again.status === 204;
    });
    await events.body?.cancel();
  });

  it('a client that goes away frees its slot, while its turn goes on', async () => {
    const h = await host({ maxStreamsPerSession: 1 });
    const threadId = randomUUID();
    const abort = new AbortController();
    const run = await fetch(`${h.base}/ag-ui`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(runInput(threadId, 'hold it')),
      signal: abort.signal,
    });
    const reader = run.body!.getReader();
    await reader.read();
    expect((await fetch(`${h.base}/ui-chat/${threadId}/stream`)).status).toBe(429);
    abort.abort();
    // The turn still runs: the resume stream is allowed again, and reads it to its end.
    let resumed: Response | undefined;
    await waitFor(async () => {
      resumed = await fetch(`${h.base}/ui-chat/${threadId}/stream`);
      if (resumed.status !== 200) await resumed.body?.cancel();
      return resumed.status === 200;
    });
    h.agent.release();
    expect(await assistantText(parseChunks(resumed!))).toBe('holding… released');
  });

  it('maxStreamsPerUser counts a user\'s streams over sessions; a refused POST starts no turn', async () => {
    const h = await host({ maxStreamsPerUser: 1 });
    const transport = new DefaultChatTransport<UIMessage>({ api: `${h.base}/ui-chat`, headers: { 'x-user': 'ann' } });
    const held = await transport.sendMessages({ chatId: 'chat-a', messages: [user('u1', 'hold this')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const refused = await post(`${h.base}/ui-chat`, { id: 'chat-b', messages: [user('u1', 'hello')], trigger: 'submit-message' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_streams' } });
    // Nothing ran in chat-b: its session exists (created on first use) but holds no message.
    expect((await messagesOf(h.base, 'chat-b')).body.messages).toEqual([]);
    // Another user is not counted with ann.
    const bob = await post(`${h.base}/ui-chat`, { id: 'chat-c', messages: [user('u1', 'hello')], trigger: 'submit-message' }, { 'x-user': 'bob' });
    expect(bob.status).toBe(200);
    await bob.text();
    h.agent.release();
    expect(await assistantText(held)).toBe('holding… released');
  });
});

describe('the endpoints share the API\'s CORS and cross-origin policy', () => {
  it('without cors: a cross-origin POST is refused 403 cross_origin_forbidden, as the API refuses it, and starts nothing', async () => {
    const h = await host();
    const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const api = await post(`${h.base}/session`, {}, evil);
    expect(api.status).toBe(403);
    const apiBody = await api.json();
    for (const url of [`${h.base}/ag-ui`, `${h.base}/ui-chat`, `${h.base}/ui-chat/x1/stop`]) {
      const body = url.endsWith('/ag-ui') ? runInput('x1', 'hello') : { id: 'x1', messages: [user('u1', 'hello')] };
      const refused = await post(url, body, evil);
      expect(refused.status, url).toBe(403);
      expect(await refused.json()).toEqual(apiBody);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    // A form post (text/plain, a simple request) from the same origin is not JSON: 415, as on the API.
    const form = await fetch(`${h.base}/ui-chat`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await fetch(`${h.base}/sessions`)).status).toBe(200);
    expect(((await (await fetch(`${h.base}/sessions`)).json()) as { sessions: unknown[] }).sessions).toEqual([]);
  });

  it('with cors: preflights answer for an allowed origin, the answers carry its headers; another origin is refused', async () => {
    const allowed = 'https://app.example';
    const h = await host({ cors: { origins: [allowed] } });
    for (const [path, method] of [['/ag-ui', 'POST'], ['/ui-chat', 'POST'], ['/ui-chat/c1/stream', 'GET']] as const) {
      const preflight = await fetch(`${h.base}${path}`, {
        method: 'OPTIONS',
        headers: { origin: allowed, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(preflight.headers.get('access-control-allow-methods')).toBe(method);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('last-event-id');
      const other = await fetch(`${h.base}${path}`, { method: 'OPTIONS', headers: { origin: 'https://other.example', 'access-control-request-method': method } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    }
    const run = await post(`${h.base}/ag-ui`, runInput('cors-thread', 'hello'), { origin: allowed, 'sec-fetch-site': 'cross-site' });
    expect(run.status).toBe(200);
    expect(run.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(await run.text()).toContain('"outcome":{"type":"success"}');
    const chat = await post(`${h.base}/ui-chat`, { id: 'cors-chat', messages: [user('u1', 'hi')] }, { origin: allowed, 'sec-fetch-site': 'cross-site' });
    expect(chat.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(await chat.text()).toContain('data: [DONE]');
    const refused = await post(`${h.base}/ui-chat`, { id: 'cors-chat', messages: [user('u1', 'hi')] }, { origin: 'https://other.example' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'cross_origin_forbidden' } });
  });

  it('auth: no user is 401 with the API\'s body', async () => {
    const h = await host({ auth: (request) => (request.headers.get('x-user') ? { id: request.headers.get('x-user')! } : null) });
    const api = await fetch(`${h.base}/sessions`);
    const agUi = await post(`${h.base}/ag-ui`, runInput('t', 'hi'));
    const uiChat = await fetch(`${h.base}/ui-chat/t/stream`);
    expect([api.status, agUi.status, uiChat.status]).toEqual([401, 401, 401]);
    const body = await api.json();
    expect(await agUi.json()).toEqual(body);
    expect(await uiChat.json()).toEqual(body);
  });
});

/** The thread-id behaviour every store must have; `restart` gives a new server on the same store's data. */
function durableThreads(name: string, start: () => Promise<Host>, restart: (() => Promise<Host>) | undefined) {
  describe(`thread ids are session ids (${name})`, () => {
    it('an AG-UI threadId and a useChat chat id are that session\'s id, the same from both endpoints and the API', async () => {
      const h = await start();
      const threadId = randomUUID();
      const agent = new HttpAgent({ url: `${h.base}/ag-ui`, threadId, headers: { 'x-user': 'ann' } });
      agent.addMessage({ id: randomUUID(), role: 'user', content: 'one' });
      await agent.runAgent();
      // The useChat endpoint, and a second AG-UI handler on the same chat server, reach the same session.
      const transport = new DefaultChatTransport<UIMessage>({ api: `${h.base}/ui-chat`, headers: { 'x-user': 'ann' } });
      expect(await assistantText(await transport.sendMessages({ chatId: threadId, messages: [user('u2', 'two')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }))).toBe('echo: two');
      const { status, body } = await messagesOf(h.base, threadId);
      expect(status).toBe(200);
      expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
      const list = (await (await fetch(`${h.base}/sessions`, { headers: { 'x-user': 'ann' } })).json()) as { sessions: Array<{ id: string }> };
      expect(list.sessions.map((s) => s.id)).toContain(threadId);
    });

    it('another user\'s thread id answers 404 session_not_found, as the API does, and reveals nothing', async () => {
      const h = await start();
      const threadId = randomUUID();
      expect((await post(`${h.base}/ag-ui`, runInput(threadId, 'secret'), { 'x-user': 'ann' })).status).toBe(200);
      await waitFor(async () => (await messagesOf(h.base, threadId)).body.messages.length === 2);
      const api = await fetch(`${h.base}/session/${threadId}/messages`, { headers: { 'x-user': 'bob' } });
      const agUi = await post(`${h.base}/ag-ui`, runInput(threadId, 'let me in'), { 'x-user': 'bob' });
      const uiChat = await post(`${h.base}/ui-chat`, { id: threadId, messages: [user('u1', 'let me in')] }, { 'x-user': 'bob' });
      expect([api.status, agUi.status, uiChat.status]).toEqual([404, 404, 404]);
      const body = await api.json();
      expect(body).toMatchObject({ error: { code: 'session_not_found' } });
      expect(await agUi.json()).toEqual(body);
      expect(await uiChat.json()).toEqual(body);
      // A thread id that was never used reads the same to bob: nothing tells the two apart.
      const unused = await fetch(`${h.base}/session/${randomUUID()}/messages`, { headers: { 'x-user': 'bob' } });
      expect(await unused.json()).toEqual(body);
      expect(await (await fetch(`${h.base}/ui-chat/${threadId}/stream`, { headers: { 'x-user': 'bob' } })).status).toBe(204);
      // Underneath, the store refuses a second session with a taken id, atomically (even when two requests race).
      const races = await Promise.allSettled([h.chat.sessions.create('bob', {}, { id: threadId }), h.chat.sessions.create('cy', {}, { id: threadId })]);
      expect(races.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(['session_not_found', 'session_not_found']);
      const fresh = randomUUID();
      const both = await Promise.allSettled([h.chat.sessions.create('bob', {}, { id: fresh }), h.chat.sessions.create('cy', {}, { id: fresh })]);
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await messagesOf(h.base, threadId)).body.messages).toHaveLength(2);
    });

    it('an id that cannot be a session id is 422 invalid_body naming it', async () => {
      const h = await start();
      const response = await post(`${h.base}/ag-ui`, runInput('not/a session id', 'hi'));
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_body', issues: [{ path: ['id'] }] } });
    });

    if (restart) {
      it('after a restart, and from another process, the same thread id is the same session', async () => {
        const first = await start();
        const threadId = randomUUID();
        const chatId = `chat-${randomUUID().slice(0, 8)}`;
        await (await post(`${first.base}/ag-ui`, runInput(threadId, 'before'))).text();
        await (await post(`${first.base}/ui-chat`, { id: chatId, messages: [user('u1', 'before')] })).text();
        // Another process on the same store reads it while the first runs...
        const other = await restart();
        const agent = new HttpAgent({ url: `${other.base}/ag-ui`, threadId, headers: { 'x-user': 'ann' } });
        agent.addMessage({ id: randomUUID(), role: 'user', content: 'elsewhere' });
        await agent.runAgent();
        expect((await messagesOf(other.base, threadId)).body.messages.map((m) => m.parts.map((p) => p.text).join(''))).toEqual(['before', 'echo: before', 'elsewhere', 'echo: elsewhere']);
        // ...and after the first stops, a new one continues both conversations.
        await first.close();
        hosts.splice(hosts.indexOf(first), 1);
        const later = await restart();
        const transport = new DefaultChatTransport<UIMessage>({ api: `${later.base}/ui-chat`, headers: { 'x-user': 'ann' } });
        expect(await assistantText(await transport.sendMessages({ chatId, messages: [user('u2', 'after')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }))).toBe('echo: after');
        expect((await messagesOf(later.base, chatId)).body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
        await (await post(`${later.base}/ag-ui`, runInput(threadId, 'later'))).text();
        expect((await messagesOf(later.base, threadId)).body.messages).toHaveLength(6);
        // Bob still cannot reach them from the new process.
        expect((await post(`${later.base}/ag-ui`, runInput(threadId, 'x'), { 'x-user': 'bob' })).status).toBe(404);
      });
    }
  });
}

durableThreads('memory store', () => host(), undefined);

let redisRun = 0;
durableThreads(
  'Redis store',
  () => host({ store: redisStore({ url: REDIS_URL, prefix: `${prefix}:${++redisRun}` }) }),
  // The next server shares the last one's prefix: another process on the same Redis.
  () => host({ store: redisStore({ url: REDIS_URL, prefix: `${prefix}:${redisRun}` }) }),
);

describe('thread ids are session ids (SQLite store, one process that restarts)', () => {
  it('a thread continues after a restart; a taken id is refused atomically by the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-chat-threads-'));
    try {
      const file = join(dir, 'chat.db');
      const first = await host({ store: sqliteStore({ path: file }) });
      const threadId = randomUUID();
      await (await post(`${first.base}/ag-ui`, runInput(threadId, 'before'))).text();
      // The store itself refuses a second session with a taken id, whoever asks: 404, as for any id not theirs.
      await expect(first.chat.sessions.create('bob', {}, { id: threadId })).rejects.toMatchObject({ code: 'session_not_found' });
      await first.close();
      hosts.splice(hosts.indexOf(first), 1);

      const second = await host({ store: sqliteStore({ path: file }) });
      await (await post(`${second.base}/ui-chat`, { id: threadId, messages: [user('u2', 'after')] })).text();
      expect((await messagesOf(second.base, threadId)).body.messages.map((m) => m.parts.map((p) => p.text).join(''))).toEqual(['before', 'echo: before', 'after', 'echo: after']);
      expect((await post(`${second.base}/ag-ui`, runInput(threadId, 'x'), { 'x-user': 'bob' })).status).toBe(404);
      await second.close();
      hosts.splice(hosts.indexOf(second), 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
