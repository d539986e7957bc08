import { randomUUID } from 'node:crypto';
import { delayedRedisProxy } from './__fixtures__/redis-proxy.js';
import type { EventOf, StreamEvent } from '@agent-chat/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, types } from '../__fixtures__/harness.js';
import { bundleStoreServer, startServerProcess, type ServerProcess } from './__fixtures__/spawn-server.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * How late the owner's commands reach Redis, in ms: its write-behind XADDs land
 * this long after its own clients saw the events. Well under the 3 s a
 * follower waits, well over what a follower needs to answer a request.
 */
const LAG_MS = 400;
const prefix = `agent-chat-test:${randomUUID()}`;

const isChunk = (e: StreamEvent) => e.event.type === 'assistant_chunk';
const text = (events: StreamEvent[]) =>
  events
    .filter(isChunk)
    .map((e) => (e.event as EventOf<'assistant_chunk'>).delta)
    .join('');
const ids = (events: StreamEvent[]) => events.filter((e) => e.id !== undefined).map((e) => e.id!);

/** Checks the status, showing the error body when it differs (an event stream's body is left alone). */
async function expectStatus(response: Response, status: number): Promise<void> {
  if (response.status !== status) expect(`${response.status} ${await response.text()}`).toBe(String(status));
}

function client(base: string) {
  const call = (route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, { ...init, headers: { 'x-user': 'ann', 'content-type': 'application/json', ...init.headers } });
  return {
    call,
    post: (route: string, body: unknown) => call(route, { method: 'POST', body: JSON.stringify(body) }),
    events: (id: string, lastEventId: number) => call(`/events/${id}`, { headers: { 'last-event-id': String(lastEventId) } }),
  };
}

describe('redisStore: a follower behind the owner’s write-behind (found by scripts/soak.mjs)', () => {
  let bundle: Awaited<ReturnType<typeof bundleStoreServer>>;
  let proxy: Awaited<ReturnType<typeof delayedRedisProxy>>;
  let owner: ServerProcess | undefined;
  let follower: ServerProcess | undefined;
  let run = 0;

  beforeAll(async () => {
    [bundle, proxy] = await Promise.all([bundleStoreServer(), delayedRedisProxy({ requests: LAG_MS })]);
  });
  afterEach(async () => {
    await Promise.all([owner?.kill(), follower?.kill()]);
  });
  afterAll(async () => {
    await proxy.close();
    await bundle.cleanup();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** A (the owner of the turns below) reaches Redis through the lagging proxy; B directly. */
  const startPair = async () => {
    run += 1;
    const env = { STORE: 'redis', REDIS_PREFIX: `${prefix}:${run}`, LEASE_MS: '5000' };
    [owner, follower] = await Promise.all([
      startServerProcess(bundle.file, { ...env, REDIS_URL: proxy.url }),
      startServerProcess(bundle.file, { ...env, REDIS_URL }),
    ]);
    const A = client(owner.base);
    const B = client(follower.base);
    const response = await A.call('/session', { method: 'POST', body: '{}' });
    const { id } = (await response.json()) as { id: string };
    return { A, B, id };
  };

  it.each([
    ['B already follows the session', true],
    ['B loads the session on the resume', false],
  ])('resuming on B with a Last-Event-ID that only A has sent yet: 200 and exactly the missing events (%s)', { timeout: 30_000 }, async (_, followFirst) => {
    const { A, B, id } = await startPair();
    if (followFirst) expect((await B.call(`/session/${id}`)).status).toBe(200);
    const turn = await readEvents(await A.post(`/chat/${id}`, { text: 'hello' }));
    expect(types(turn).at(-1)).toBe('turn_complete');
    const all = ids(turn);
    // Every cursor of the turn, the last one too (nothing missing, but no 400 either).
    for (const cursor of [all[1]!, all.at(-2)!, all.at(-1)!]) {
      const resumed = await B.events(id, cursor);
      await expectStatus(resumed, 200);
      const missing = all.filter((n) => n > cursor);
      const events = await readEvents(resumed, (e) => (missing.length === 0 ? e.event.type === 'ready' : e.id === missing.at(-1)));
      expect(events[0]!.event.type).toBe('ready');
      // A replay merges each run of chunks into one frame with the run's last id: the same events, the same text.
      const expected = turn.filter((e) => e.id !== undefined && e.id > cursor);
      expect(ids(events).at(-1)).toBe(missing.at(-1));
      expect(ids(events).every((n, i, all) => missing.includes(n) && (i === 0 || n > all[i - 1]!))).toBe(true);
      expect(events.slice(1).filter((e) => !isChunk(e))).toEqual(expected.filter((e) => !isChunk(e)));
      expect(text(events)).toBe(text(expected));
    }
    // A cursor beyond anything written is still refused, within the bounded wait.
    const started = Date.now();
    const beyond = await B.events(id, all.at(-1)! + 50);
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: { code: string } }).error.code).toBe('invalid_cursor');
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it.each([
    ['/chat', { text: 'two' }, true],
    ['/chat', { text: 'two' }, false],
    ['/undo', {}, true],
    ['/truncate', { userMessageIndex: 0 }, true],
    ['/compact', {}, false],
  ])('POST %s %j to B right after turn_complete from A: 200, not 409 turn_running (B followed the session before: %s)', { timeout: 30_000 }, async (route, body, followFirst) => {
    const { A, B, id } = await startPair();
    if (followFirst) expect((await B.call(`/session/${id}`)).status).toBe(200);
    const first = await readEvents(await A.post(`/chat/${id}`, { text: 'one' }));
    expect(types(first).at(-1)).toBe('turn_complete');
    const next = await B.post(`${route}/${id}`, body);
    await expectStatus(next, 200);
    if (route !== '/chat') return;
    const second = await readEvents(next);
    expect(types(second).at(-1)).toBe('turn_complete');
    expect(ids(second)[0]).toBe(ids(first).at(-1)! + 1);
    // And back on A, which must now wait for B's write-behind in turn: undo there.
    await expectStatus(await A.post(`/undo/${id}`, {}), 200);
  });

  it('a turn that really runs on A: B still answers 409 turn_running, at once', { timeout: 30_000 }, async () => {
    const { A, B, id } = await startPair();
    const holding = await readEvents(await A.post(`/chat/${id}`, { text: 'hold on' }), (e) => e.event.type === 'assistant_chunk');
    expect(types(holding)).toContain('assistant_chunk');
    const started = Date.now();
    const refused = await B.post(`/chat/${id}`, { text: 'me too' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('turn_running');
    // One round trip to the owner (its replies trail by LAG_MS), not the whole bounded wait.
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const route of ['/undo', '/compact']) {
      const busy = await B.post(`${route}/${id}`, {});
      expect(busy.status).toBe(409);
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('turn_running');
    }
    expect(await (await B.post(`/interrupt/${id}`, {})).json()).toEqual({ interrupted: true });
  });
});
