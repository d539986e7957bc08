import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient, type AgentEvent } from '@agent-chat/core';
import { createChatServer, demoAgent, type ChatServer } from '@agent-chat/server';
import { createNodeListener } from '@agent-chat/server/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatStore, type ChatStoreOptions } from './chat-store.js';

/** The store against a real agent-chat server (demo agent, 2 ms per chunk) on 127.0.0.1. */
describe('ChatStore against a real server', () => {
  let sandbox: string;
  let chat: ChatServer;
  let http: Server;
  let endpoint: string;
  let client: ChatClient;
  const stores: ChatStore[] = [];

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'agent-chat-store-'));
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
    endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
    client = new ChatClient({ endpoint });
  });

  afterEach(() => {
    for (const store of stores.splice(0)) store.disconnect();
    delete (globalThis as { localStorage?: Storage }).localStorage;
  });

  afterAll(async () => {
    await chat.close();
    http.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  function makeStore(options: ChatStoreOptions = {}): ChatStore {
    const store = new ChatStore({ client, storageKey: null, ...options });
    stores.push(store);
    return store;
  }

  it('does nothing until connected, then opens a session; a connect cancelled at once (StrictMode) creates one session only', async () => {
    const before = (await client.listSessions()).length;
    const store = makeStore();
    const initial = store.getSnapshot();
    expect(initial.status).toBe('connecting');
    expect(store.getServerSnapshot()).toBe(initial);
    expect((await client.listSessions()).length).toBe(before);

    const disconnect = store.connect();
    disconnect();
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    expect(store.getSnapshot().sessionId).toBeTruthy();
    expect((await client.listSessions()).length).toBe(before + 1);
    expect(store.getServerSnapshot()).toBe(initial);
  });

  it('notifies subscribers with a new snapshot per change, the same object in between', async () => {
    const store = makeStore();
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    expect(notified).toBeGreaterThan(0);
    expect(store.getSnapshot()).toBe(store.getSnapshot());
    unsubscribe();
    const count = notified;
    await store.send('after unsubscribing');
    expect(notified).toBe(count);
  });

  it('runs a demo turn to approval and completion; refuses what cannot be done', async () => {
    const events: AgentEvent['type'][] = [];
    const store = makeStore({ onEvent: (event) => events.push(event.type) });
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    expect(await store.approve([{ toolCallId: 'none', decision: 'approve' }])).toBe(false);
    expect(await store.send('   ')).toBe(false);

    const sending = store.send('Hello store');
    expect(await store.send('twice')).toBe(false);
    expect(await sending).toBe(true);
    const waiting = store.getSnapshot();
    expect(waiting.status).toBe('awaiting_approval');
    expect(waiting.state.pendingApprovals.map((p) => p.name)).toEqual(['write_file']);

    const decisions = waiting.state.pendingApprovals.map((p) => ({ toolCallId: p.toolCallId, decision: 'approve' as const }));
    expect(await store.approve(decisions)).toBe(true);
    expect(store.getSnapshot().status).toBe('idle');
    expect(events.filter((type) => type === 'turn_complete')).toHaveLength(1);
    expect(events.indexOf('approval_required')).toBeLessThan(events.indexOf('turn_complete'));

    const history = await client.getMessages(store.getSnapshot().sessionId!);
    expect(store.getSnapshot().state.messages).toEqual(history.messages);
    expect(store.getSnapshot().state.lastEventId).toBe(history.lastEventId);
  });

  it('stops a running turn', async () => {
    const events: AgentEvent['type'][] = [];
    const store = makeStore({ onEvent: (event) => events.push(event.type) });
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    const sending = store.send('Stop me');
    await expect.poll(() => store.getSnapshot().status).toBe('running');
    await store.stop();
    await sending;
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    expect(events).toContain('interrupted');
    expect(events).not.toContain('turn_complete');
  });

  it('replaces a remembered session the server no longer knows, and remembers the new one', async () => {
    const saved = new Map<string, string>([['chat-key', 'gone-session']]);
    (globalThis as { localStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> }).localStorage = {
      getItem: (key) => saved.get(key) ?? null,
      setItem: (key, value) => void saved.set(key, value),
      removeItem: (key) => void saved.delete(key),
    };
    const store = makeStore({ storageKey: 'chat-key' });
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('idle');
    const { sessionId } = store.getSnapshot();
    expect(sessionId).not.toBe('gone-session');
    expect(saved.get('chat-key')).toBe(sessionId);
  });

  it('reports an explicit session that does not exist as an error status', async () => {
    const store = makeStore({ sessionId: 'no-such-session' });
    store.connect();
    await expect.poll(() => store.getSnapshot().status).toBe('error');
    expect(store.getSnapshot().error).toMatchObject({ code: 'session_not_found', status: 404, retryable: false });
  });
});
