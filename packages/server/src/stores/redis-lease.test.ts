import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEvents } from '../__fixtures__/harness.js';
import { bundleStoreServer, startServerProcess, type ServerProcess } from './__fixtures__/spawn-server.js';

/** A TCP proxy to Redis that holds every reply back `delayMs`: Redis on another machine, or a busy one. */
async function slowRedisProxy(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => (socket === client ? upstream : client).destroy());
    }
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => setTimeout(() => client.writable && client.write(data), delayMs));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let bundle: Awaited<ReturnType<typeof bundleStoreServer>>;
let proxy: Awaited<ReturnType<typeof slowRedisProxy>>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  [bundle, proxy] = await Promise.all([bundleStoreServer(), slowRedisProxy(20)]);
});

afterAll(async () => {
  await server?.kill();
  await proxy.close();
  await bundle.cleanup();
});

it('keeps the lease of every running turn however many it holds, with 20 ms to Redis (found by scripts/soak.mjs)', { timeout: 60_000 }, async () => {
  // 40 turns held on one process, a 600 ms lease renewed every 200 ms: one renewal after the other,
  // the last one came 40 round trips (800 ms) after its turn, past the lease; the turn was then lost.
  const LEASE_MS = 600;
  server = await startServerProcess(bundle.file, {
    STORE: 'redis',
    REDIS_URL: proxy.url,
    REDIS_PREFIX: `agent-chat-test:${randomUUID()}`,
    LEASE_MS: String(LEASE_MS),
  });
  const base = server.base;
  // One user per session (the per-user session limit is 10).
  const headers = (i: number) => ({ 'x-user': `user-${i}`, 'content-type': 'application/json' });
  const ids = await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const response = await fetch(`${base}/session`, { method: 'POST', headers: headers(i) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    }),
  );
  await Promise.all(
    ids.map(async (id, i) => {
      const response = await fetch(`${base}/chat/${id}`, { method: 'POST', headers: headers(i), body: JSON.stringify({ text: 'hold on' }) });
      await readEvents(response, (e) => e.event.type === 'assistant_chunk');
    }),
  );
  // Five lease times: every turn must still be running, and its events must all be this process's.
  await new Promise((resolve) => setTimeout(resolve, 5 * LEASE_MS));
  const states = await Promise.all(
    ids.map(async (id, i) => {
      const response = await fetch(`${base}/session/${id}/messages`, { headers: headers(i) });
      const { processing, messages } = (await response.json()) as { processing: boolean; messages: Array<{ parts: Array<{ text?: string }> }> };
      return { processing, answer: messages.at(-1)?.parts.map((p) => p.text).join('') };
    }),
  );
  expect(states.filter((s) => !s.processing || s.answer !== 'holding…')).toEqual([]);
  expect(server.stderr()).toBe('');
});
