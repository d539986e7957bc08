import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConversationState, reduce, type EventOf, type StreamEvent } from '@agent-chat/core';
import { sessionInfoSchema, sessionListSchema, sessionMessagesSchema } from '@agent-chat/core/schemas';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { useServers } from '../__fixtures__/conformance-suite.js';
import { expectResumedIds, readEvents, types, waitFor } from '../__fixtures__/harness.js';
import { bundleStoreServer, startServerProcess, type ServerProcess } from './__fixtures__/spawn-server.js';
import { SqliteStoreError, SQLITE_MIGRATIONS, sqliteStore } from './sqlite-store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agent-chat-sqlite-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const ids = (events: StreamEvent[]) => events.filter((e) => e.id !== undefined).map((e) => e.id!);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('sqliteStore: schema', () => {
  it('applies the versioned migrations once, keeps data across opens, and refuses a newer schema', async () => {
    const file = path.join(dir, 'schema.db');
    const first = sqliteStore({ path: file });
    const record = { id: 's1', userId: 'u', createdAt: 1, updatedAt: 1, lastActiveAt: 1, messageCount: 0, lastEventId: 0 };
    const log = first.create(record, { maxSessions: 5, maxSessionsPerUser: 5 }, { onListenerError() {} });
    expect(typeof log).toBe('object');
    await first.close();

    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    db.close();

    const second = sqliteStore({ path: file });
    expect(await second.list('u')).toEqual([record]);
    await second.close();

    const newer = new Database(file);
    newer.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => sqliteStore({ path: file })).toThrow(SqliteStoreError);
    try {
      sqliteStore({ path: file });
    } catch (error) {
      expect((error as SqliteStoreError).code).toBe('schema_too_new');
    }
  });
});

describe('sqliteStore: retention and snapshots', () => {
  const start = useServers(nodeFactory);

  it('trims the log after each turn; resuming from before it gives a snapshot, then the live tail, no gap, no duplicate', async () => {
    const s = await start({ store: sqliteStore({ path: path.join(dir, 'retention.db'), retainEvents: 3 }) });
    const id = await s.createSession();
    const first = await readEvents(await s.post(`/chat/${id}`, { text: 'one' }));
    const second = await readEvents(await s.post(`/chat/${id}`, { text: 'two' }));
    const lastId = ids(second).at(-1)!;
    expect(ids([...first, ...second])).toEqual(range(1, lastId));
    const session = s.chat.sessions.get(id, 'ann')!;
    expect(session.log.firstId).toBe(lastId - 2);

    // Within what is kept: exactly the missing events.
    const kept = await readEvents(await s.call(`/events/${id}`, { headers: { 'last-event-id': String(lastId - 3) } }), (e) => e.id === lastId);
    expect(types(kept)).toEqual(['ready', 'assistant_chunk', 'assistant_stream_end', 'turn_complete']);

    // Older than what is kept: the conversation as a snapshot at the last id, then the next turn live.
    const resumed = readEvents(await s.call(`/events/${id}`, { headers: { 'last-event-id': '2' } }), (e) => e.event.type === 'turn_complete');
    const third = await readEvents(await s.post(`/chat/${id}`, { text: 'three' }));
    const events = await resumed;
    expect(types(events).slice(0, 2)).toEqual(['ready', 'snapshot']);
    expect(events[1]!.id).toBe(lastId);
    expect(ids(events)).toEqual(range(lastId, ids(third).at(-1)!));
    // The client's reducer lands on the server's history.
    const state = events.reduce((acc, e) => reduce(acc, e.event, e.id), createConversationState(id));
    const history = sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
    expect(JSON.parse(JSON.stringify(state.messages))).toEqual(history.messages);
    expect(history.messages.filter((m) => m.role === 'user')).toHaveLength(3);
  });
});

describe('sqliteStore: idle sessions', () => {
  const start = useServers(nodeFactory);

  it('unloads an idle session from memory but keeps it: the next request loads it back', async () => {
    const s = await start({ store: sqliteStore({ path: path.join(dir, 'idle.db') }), idleTimeoutMs: 60 });
    const id = await s.createSession();
    await readEvents(await s.post(`/chat/${id}`, { text: 'remember me' }));
    await waitFor(() => s.chat.sessions.size === 0);
    const info = sessionInfoSchema.parse(await (await s.call(`/session/${id}`)).json());
    expect(info).toMatchObject({ id, messageCount: 2, lastEventId: 6, processing: false });
    expect(s.chat.sessions.size).toBe(1);
    const history = sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
    expect(history.messages[1]!.parts[0]).toMatchObject({ type: 'text', text: 'echo: remember me' });
  });
});

describe('sqliteStore: a server process killed mid-turn', () => {
  let bundle: Awaited<ReturnType<typeof bundleStoreServer>>;
  const running: ServerProcess[] = [];
  beforeAll(async () => {
    bundle = await bundleStoreServer();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.kill()));
    await bundle.cleanup();
  });

  const call = (base: string, route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, { ...init, headers: { 'x-user': 'ann', 'content-type': 'application/json', ...init.headers } });

  it('restarts with its sessions and history; the lost turn ends with turn_lost; resume and new turns work', async () => {
    const file = path.join(dir, 'crash.db');
    const first = await startServerProcess(bundle.file, { STORE: 'sqlite', SQLITE_PATH: file });
    running.push(first);
    const created = await call(first.base, '/session', { method: 'POST', body: JSON.stringify({ title: 'Kept' }) });
    const id = sessionInfoSchema.parse(await created.json()).id;
    const done = await readEvents(await call(first.base, `/chat/${id}`, { method: 'POST', body: JSON.stringify({ text: 'hello' }) }));
    expect(done.at(-1)!.event.type).toBe('turn_complete');
    const held = await readEvents(
      await call(first.base, `/chat/${id}`, { method: 'POST', body: JSON.stringify({ text: 'hold on' }) }),
      (e) => e.event.type === 'assistant_chunk',
    );
    const seen = [...done, ...held];
    const lastSeen = ids(seen).at(-1)!;
    expect(ids(seen)).toEqual(range(1, lastSeen));

    await first.kill();
    const second = await startServerProcess(bundle.file, { STORE: 'sqlite', SQLITE_PATH: file });
    running.push(second);

    const list = sessionListSchema.parse(await (await call(second.base, '/sessions')).json());
    expect(list.sessions.map((s) => [s.id, s.title])).toEqual([[id, 'Kept']]);

    const history = sessionMessagesSchema.parse(await (await call(second.base, `/session/${id}/messages`)).json());
    expect(history.processing).toBe(false);
    expect(history.lastEventId).toBe(lastSeen + 1);
    expect(history.messages.map((m) => [m.role, m.parts.map((p) => (p.type === 'text' ? p.text : p.type)).join('')])).toEqual([
      ['user', 'hello'],
      ['assistant', 'echo: hello'],
      ['user', 'hold on'],
      ['assistant', 'holding…'],
    ]);

    // The client that saw events up to `lastSeen` resumes: exactly the one event it missed.
    const resumed = await readEvents(
      await call(second.base, `/events/${id}`, { headers: { 'last-event-id': String(lastSeen) } }),
      (e) => e.event.type === 'error',
    );
    expect(types(resumed)).toEqual(['ready', 'error']);
    expect(resumed[1]!.id).toBe(lastSeen + 1);
    expect(resumed[1]!.event).toMatchObject({ code: 'turn_lost', retryable: true, turnId: (held[1]!.event as EventOf<'processing'>).turnId });

    // The session takes turns again, its ids going on from there.
    const again = await readEvents(await call(second.base, `/chat/${id}`, { method: 'POST', body: JSON.stringify({ text: 'again' }) }));
    expect(types(again).at(-1)).toBe('turn_complete');
    expect(ids(again)).toEqual(range(lastSeen + 2, ids(again).at(-1)!));

    // A graceful stop and start keeps everything, with no lost turn this time.
    await second.stop();
    const third = await startServerProcess(bundle.file, { STORE: 'sqlite', SQLITE_PATH: file });
    running.push(third);
    const full = await readEvents(await call(third.base, `/events/${id}`, { headers: { 'last-event-id': '0' } }), (e) => e.id === ids(again).at(-1));
    expectResumedIds(ids(full), 0, ids(again).at(-1)!);
    expect(full.filter((e) => e.event.type === 'error')).toHaveLength(1);
    await third.stop();
  });
});
