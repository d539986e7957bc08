import { ChatClient, createConversationState, reduce, type StreamEvent } from '@agent-chat/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../agents/agent.js';
import { expressFactory, fastifyFactory, honoFactory, nodeFactory } from '../__fixtures__/adapter-factories.js';
import type { AdapterFactory, AdapterHarness } from '../__fixtures__/conformance-suite.js';
import { createSession, postChat, readEvents, recordingLogger } from '../__fixtures__/harness.js';
import { createChatServer, type ChatServer } from '../http/chat-server.js';
import { demoAgent } from '../agents/demo/demo-agent.js';

/** 150 pieces of 64 KiB, each its own run (an `assistant_stream_end` between them): 9.4 MiB of text in one turn. */
const PIECES = 150;
const PIECE = 64 * 1024;
const bigAgent: Agent = {
  name: 'big',
  async *run() {
    for (let i = 0; i < PIECES; i++) {
      yield { type: 'assistant_chunk', delta: String(i % 10).repeat(PIECE) };
      yield { type: 'assistant_stream_end' };
    }
  },
};
const TEXT_LENGTH = PIECES * PIECE;

function textOf(events: StreamEvent[]): string {
  const state = events.reduce((s, e) => reduce(s, e.event, e.id), createConversationState('x'));
  return state.messages
    .filter((m) => m.role === 'assistant')
    .flatMap((m) => m.parts)
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('');
}

let harness: AdapterHarness | undefined;
let chat: ChatServer | undefined;
afterEach(async () => {
  await chat?.close();
  await harness?.close();
  harness = chat = undefined;
});

async function bigSession(factory: AdapterFactory): Promise<{ base: string; id: string; lastId: number }> {
  chat = createChatServer({ agent: bigAgent, logger: recordingLogger(), keepAliveMs: 0 });
  harness = await factory(chat);
  const base = `${harness.origin}/api`;
  const id = await createSession(base);
  const turn = await readEvents(await postChat(base, id, { text: 'a lot' }));
  expect(turn.at(-1)!.event.type).toBe('turn_complete');
  return { base, id, lastId: turn.at(-1)!.id! };
}

describe('a history over 8 MiB', () => {
  const factories: [string, AdapterFactory][] = [
    ['node', nodeFactory],
    ['express', expressFactory],
    ['hono', honoFactory],
    ['fastify', fastifyFactory],
  ];
  for (const [name, factory] of factories) {
    it(`streams whole through ${name}: the snapshot without a cursor, the replay from Last-Event-ID 0 and from a small id`, async () => {
      const { base, id, lastId } = await bigSession(factory);
      const last = (e: StreamEvent) => e.id === lastId;

      const snapshot = await readEvents(await fetch(`${base}/events/${id}`), (e) => e.event.type === 'snapshot');
      expect(snapshot.map((e) => e.event.type)).toEqual(['ready', 'snapshot']);
      expect(snapshot[1]!.id).toBe(lastId);
      expect(textOf(snapshot)).toHaveLength(TEXT_LENGTH);

      for (const cursor of [0, 1, 3]) {
        const replay = await readEvents(await fetch(`${base}/events/${id}`, { headers: { 'last-event-id': String(cursor) } }), last);
        expect(replay[0]!.event.type).toBe('ready');
        expect(replay.at(-1)!.id).toBe(lastId);
        expect(replay[1]!.id!).toBeGreaterThan(cursor);
        if (cursor === 0) expect(textOf(replay)).toHaveLength(TEXT_LENGTH);
        else expect(textOf(replay).length).toBeGreaterThan(TEXT_LENGTH - 2 * PIECE);
      }
    });
  }

  it('reaches ChatClient in one request: subscribe without a cursor, and from id 0', async () => {
    let requests = 0;
    const { base, id, lastId } = await bigSession(nodeFactory);
    const client = new ChatClient({
      endpoint: base,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const snapshot: StreamEvent[] = [];
    for await (const event of client.subscribe(id, { untilTerminal: true })) snapshot.push(event);
    expect(snapshot.map((e) => e.event.type)).toEqual(['ready', 'snapshot']);
    expect(textOf(snapshot)).toHaveLength(TEXT_LENGTH);
    const replay: StreamEvent[] = [];
    for await (const event of client.subscribe(id, { after: 0, untilTerminal: true })) replay.push(event);
    expect(replay.at(-1)!.id).toBe(lastId);
    expect(textOf(replay)).toHaveLength(TEXT_LENGTH);
    expect(requests).toBe(2);
  });

  it('streams whole from the fetch handler itself, read as a Web stream', async () => {
    chat = createChatServer({ agent: bigAgent, logger: recordingLogger(), keepAliveMs: 0 });
    const origin = 'http://chat.test';
    const post = (path: string, body?: unknown) =>
      chat!.fetch(
        new Request(`${origin}/api${path}`, {
          method: 'POST',
          ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        }),
      );
    const { id } = (await (await post('/session')).json()) as { id: string };
    const turn = await readEvents(await post(`/chat/${id}`, { text: 'a lot' }));
    const lastId = turn.at(-1)!.id!;
    const snapshot = await readEvents(await chat.fetch(new Request(`${origin}/api/events/${id}`)), (e) => e.event.type === 'snapshot');
    expect(textOf(snapshot)).toHaveLength(TEXT_LENGTH);
    const replay = await readEvents(
      await chat.fetch(new Request(`${origin}/api/events/${id}`, { headers: { 'last-event-id': '0' } })),
      (e) => e.id === lastId,
    );
    expect(textOf(replay)).toHaveLength(TEXT_LENGTH);
  });
});

describe('a reader that does not read', () => {
  it('costs the server a bounded amount: the replay is produced as it is read, not queued up front', async () => {
    chat = createChatServer({ agent: bigAgent, logger: recordingLogger(), keepAliveMs: 0 });
    const origin = 'http://chat.test';
    const { id } = (await (await chat.fetch(new Request(`${origin}/api/session`, { method: 'POST' }))).json()) as { id: string };
    const turn = await readEvents(
      await chat.fetch(
        new Request(`${origin}/api/chat/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'a lot' }),
        }),
      ),
    );
    expect(turn.at(-1)!.event.type).toBe('turn_complete');
    const log = chat.sessions.get(id, 'dev')!.log;
    const readAfter = log.readAfter.bind(log);
    let eventsRead = 0;
    log.readAfter = (afterId, limit) => {
      const events = readAfter(afterId, limit);
      eventsRead += events.length;
      return events;
    };
    const response = await chat.fetch(new Request(`${origin}/api/events/${id}`, { headers: { 'last-event-id': '0' } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nothing of the history was read for a consumer that has not asked for anything.
    expect(eventsRead).toBe(0);
    const reader = response.body!.getReader();
    let bytes = 0;
    for (let i = 0; i < 3; i++) bytes += (await reader.read()).value!.byteLength;
    // Three reads bring a few frames, not the whole 9 MiB.
    expect(bytes).toBeLessThan(4 * PIECE + 1024);
    // One batch of the log per read, at most.
    expect(eventsRead).toBeLessThanOrEqual(3 * 256);
    await reader.cancel();
    expect(chat.sessions.get(id, 'dev')!.openStreams).toBe(0);
  });

  it('a live subscriber that stops reading falls back to the log and still gets every event, in order, once', async () => {
    const agent = demoAgent({ sandboxDir: '.', chunkDelayMs: 0 });
    chat = createChatServer({ agent, logger: recordingLogger(), keepAliveMs: 0 });
    const origin = 'http://chat.test';
    const { id } = (await (await chat.fetch(new Request(`${origin}/api/session`, { method: 'POST' }))).json()) as { id: string };
    const session = chat.sessions.get(id, 'dev')!;
    const response = await chat.fetch(new Request(`${origin}/api/events/${id}`, { headers: { 'last-event-id': '0' } }));
    const reader = response.body!.getReader();
    await reader.read(); // `ready`
    // 12 MiB of live events while the subscriber reads nothing.
    for (let i = 0; i < 200; i++) session.append({ type: 'title', title: `${i}`.padEnd(64 * 1024, '.') });
    expect(session.openStreams).toBe(1);
    const rest = await readEvents(new Response(new ReadableStream({ pull: async (c) => {
      const { done, value } = await reader.read();
      if (done) c.close();
      else c.enqueue(value);
    } })), (e) => e.id === 200);
    expect(rest.map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});

describe('a live subscriber left behind by retention', () => {
  it('ends (the client resumes from a snapshot) instead of skipping events', async () => {
    chat = createChatServer({ agent: bigAgent, logger: recordingLogger(), keepAliveMs: 0 });
    const origin = 'http://chat.test';
    const { id } = (await (await chat.fetch(new Request(`${origin}/api/session`, { method: 'POST' }))).json()) as { id: string };
    const session = chat.sessions.get(id, 'dev')!;
    const response = await chat.fetch(new Request(`${origin}/api/events/${id}`, { headers: { 'last-event-id': '0' } }));
    const reader = response.body!.getReader();
    await reader.read(); // `ready`
    for (let i = 0; i < 50; i++) session.append({ type: 'title', title: `${i}`.padEnd(64 * 1024, '.') });
    const first = await readEvents(new Response((await reader.read()).value));
    expect(first.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (let i = 50; i < 200; i++) session.append({ type: 'title', title: `${i}`.padEnd(64 * 1024, '.') });
    session.log.trim(150);
    const rest = await readEvents(
      new Response(
        new ReadableStream({
          pull: async (c) => {
            const { done, value } = await reader.read();
            if (done) c.close();
            else c.enqueue(value);
          },
        }),
      ),
    );
    // Past 8 MiB unread it went back to the log from id 50, which the log no longer has: the stream ends, no gap.
    expect(rest).toEqual([]);
    const ids = first.map((e) => e.id!);
    expect(session.openStreams).toBe(0);
    const resumed = await readEvents(
      await chat.fetch(new Request(`${origin}/api/events/${id}`, { headers: { 'last-event-id': String(ids.at(-1) ?? 0) } })),
      (e) => e.event.type === 'snapshot',
    );
    expect(resumed.map((e) => e.event.type)).toEqual(['ready', 'snapshot']);
  });
});
