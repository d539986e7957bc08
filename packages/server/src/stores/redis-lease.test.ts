import { randomUUID } from 'node:crypto';
import { delayedRedisProxy } from './__fixtures__/redis-proxy.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEvents } from '../__fixtures__/harness.js';
import { bundleStoreServer, startServerProcess, type ServerProcess } from './__fixtures__/spawn-server.js';

let bundle: Awaited<ReturnType<typeof bundleStoreServer>>;
let proxy: Awaited<ReturnType<typeof delayedRedisProxy>>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  [bundle, proxy] = await Promise.all([bundleStoreServer(), delayedRedisProxy({ replies: 20 })]);
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
