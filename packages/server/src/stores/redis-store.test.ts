import { randomUUID } from 'node:crypto';
import { ChatClient, ChatSession, type EventOf, type StreamEvent } from '@agent-chat/core';
import { sessionInfoSchema, sessionListSchema, sessionMessagesSchema } from '@agent-chat/core/schemas';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { useServers } from '../__fixtures__/conformance-suite.js';
import { expectResumedIds, readEvents, reducedMessages, types, waitFor } from '../__fixtures__/harness.js';
import { bundleStoreServer, startServerProcess, type ServerProcess } from './__fixtures__/spawn-server.js';
import { redisStore } from './redis.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * Leases of the process pairs. Long enough that a process starved of CPU by
 * the other tests on the machine keeps its lease (a stall past it would,
 * rightly, hand the turn over); the SIGKILL test uses a shorter one, as the
 * documented bound of turn_lost is 1.5 × the lease.
 */
const LEASE_MS = 5_000;
const SHORT_LEASE_MS = 2_000;
const prefix = `agent-chat-test:${randomUUID()}`;

const ids = (events: StreamEvent[]) => events.filter((e) => e.id !== undefined).map((e) => e.id!);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const text = (events: StreamEvent[]) =>
  events
    .filter((e) => e.event.type === 'assistant_chunk')
    .map((e) => (e.event as EventOf<'assistant_chunk'>).delta)
    .join('');

function client(base: string) {
  const call = (route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, { ...init, headers: { 'x-user': 'ann', 'content-type': 'application/json', ...init.headers } });
  return {
    call,
    post: (route: string, body?: unknown) => call(route, { method: 'POST', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }),
    async createSession(): Promise<string> {
      return sessionInfoSchema.parse(await (await call('/session', { method: 'POST', body: '{}' })).json()).id;
    },
    events: (id: string, lastEventId: number) => call(`/events/${id}`, { headers: { 'last-event-id': String(lastEventId) } }),
  };
}

// Every key this file made, whatever failed.
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('redisStore: two server processes sharing Redis', () => {
  let bundle: Awaited<ReturnType<typeof bundleStoreServer>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let run = 0;

  beforeAll(async () => {
    bundle = await bundleStoreServer();
  });
  const startPair = async (leaseMs = LEASE_MS) => {
    run += 1;
    const env = { STORE: 'redis', REDIS_URL, REDIS_PREFIX: `${prefix}:${run}`, LEASE_MS: String(leaseMs) };
    [a, b] = await Promise.all([startServerProcess(bundle.file, env), startServerProcess(bundle.file, env)]);
    return { A: client(a.base), B: client(b.base) };
  };
  afterEach(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
  });
  afterAll(() => bundle.cleanup());

  it('lists on B the sessions created on A; follows A turn on B; resumes on B with Last-Event-ID; interrupts A through B', async () => {
    const { A, B } = await startPair();
    const id = await A.createSession();
    const other = await A.createSession();
    const listed = sessionListSchema.parse(await (await B.call('/sessions')).json());
    expect(listed.sessions.map((s) => s.id)).toEqual([other, id]);

    const warmup = await readEvents(await A.post(`/chat/${id}`, { text: 'hello' }));
    expect(text(warmup)).toBe('echo: hello');
    const history = sessionMessagesSchema.parse(await (await B.call(`/session/${id}/messages`)).json());
    expect(history.lastEventId).toBe(ids(warmup).at(-1));
    expect(history.messages).toHaveLength(2);

    // A turn on A that waits; B follows it from the start of the log.
    const onA = readEvents(await A.post(`/chat/${id}`, { text: 'hold on' }));
    const firstLook = await readEvents(await B.events(id, 0), (e) => e.event.type === 'assistant_chunk' && text([e]) === 'holding…');
    const seenOnB = ids(firstLook);
    expectResumedIds(seenOnB, 0, seenOnB.at(-1)!);
    expect((await (await B.call(`/session/${id}`)).json()).processing).toBe(true);

    // Drop, resume on B from the last id seen there, interrupt through B: the turn on A stops.
    const resumed = readEvents(await B.events(id, seenOnB.at(-1)!), (e) => e.event.type === 'interrupted');
    const interrupt = await B.post(`/interrupt/${id}`);
    expect(await interrupt.json()).toEqual({ interrupted: true });
    const aEvents = await onA;
    expect(types(aEvents).at(-1)).toBe('interrupted');
    const rest = await resumed;
    expect(types(rest)).toEqual(['ready', 'interrupted']);
    expect(ids(rest)).toEqual([seenOnB.at(-1)! + 1]);
    // What B showed is what A sent (B's replay merges runs of chunks): the same conversation, the same last id.
    expect(reducedMessages(id, [...firstLook, ...rest])).toEqual(reducedMessages(id, [...warmup, ...aEvents]));
    expect(ids(rest).at(-1)).toBe(ids(aEvents).at(-1));

    // The session is free again, on either process: a turn on B goes on from the same ids.
    const onB = await readEvents(await B.post(`/chat/${id}`, { text: 'after' }));
    expect(text(onB)).toBe('echo: after');
    expect(ids(onB)[0]).toBe(ids(aEvents).at(-1)! + 1);
    const whole = await readEvents(await A.events(id, 0), (e) => e.id === ids(onB).at(-1));
    expectResumedIds(ids(whole), 0, ids(onB).at(-1)!);
  });

  it('an approval posted to B resumes the turn waiting on A; a shutdown posted to B stops it', async () => {
    const { A, B } = await startPair();
    const id = await A.createSession();
    const first = await readEvents(await A.post(`/chat/${id}`, { text: 'approve the write' }));
    const approval = first.at(-1)!;
    expect(approval.event.type).toBe('approval_required');
    const { toolCallId } = (approval.event as EventOf<'approval_required'>).tools[0]!;
    // B learns of it from Redis.
    await waitFor(async () => (await (await B.call(`/session/${id}`)).json()).awaitingApproval === true, 15_000);

    const second = await readEvents(await B.post(`/chat/${id}`, { approvals: [{ toolCallId, decision: 'approve' }] }));
    expect(types(second)).toEqual([
      'ready',
      'tool_state_change',
      'processing',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'turn_complete',
    ]);
    expect(ids(second)).toEqual(range(approval.id! + 1, approval.id! + 6));
    // `ready` says where the stream starts (clients skip what it covers), even though the decisions were applied on A.
    expect(second[0]!.event).toMatchObject({ type: 'ready', lastEventId: approval.id });
    // The tool ran in A's agent (only A held the turn), and said so.
    expect(second[3]!.event).toMatchObject({ type: 'tool_output', toolCallId, output: 'written' });
    expect(text(second)).toBe('done (approve)');

    // A bad decision on B gets A's validation error.
    const held = await readEvents(await A.post(`/chat/${id}`, { text: 'approve again' }));
    const wrong = await B.post(`/chat/${id}`, { approvals: [{ toolCallId: 'nope', decision: 'approve' }] });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_approvals');
    expect(held.at(-1)!.event.type).toBe('approval_required');

    // A shutdown posted to B interrupts the turn waiting on A and ends the streams on both.
    const watchA = readEvents(await A.events(id, ids(held).at(-1)!));
    const watchB = readEvents(await B.events(id, ids(held).at(-1)!));
    await waitFor(async () => (await (await B.call(`/session/${id}/messages`)).json()).lastEventId === ids(held).at(-1), 15_000);
    const shutdown = await B.post(`/shutdown/${id}`);
    expect(await shutdown.json()).toEqual({ interrupted: true });
    for (const watched of [await watchA, await watchB]) {
      expect(types(watched)).toEqual(['ready', 'interrupted', 'shutdown']);
      expect(watched[1]!.id).toBe(ids(held).at(-1)! + 1);
      expect(watched[2]!.event).toMatchObject({ reason: 'session_shutdown' });
    }
  });

  it('an approval posted to B while a dead A still holds the lease: 503 owner_unreachable with Retry-After, the approval still pending; then turn_lost', async () => {
    const { A, B } = await startPair(SHORT_LEASE_MS);
    const id = await A.createSession();
    const first = await readEvents(await A.post(`/chat/${id}`, { text: 'approve the write' }));
    const approval = first.at(-1)!;
    expect(approval.event.type).toBe('approval_required');
    const { toolCallId } = (approval.event as EventOf<'approval_required'>).tools[0]!;
    await waitFor(async () => (await (await B.call(`/session/${id}`)).json()).awaitingApproval === true, 15_000);

    await a.kill();
    const decisions = { approvals: [{ toolCallId, decision: 'approve' }] };
    const refused = await B.post(`/chat/${id}`, decisions);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('owner_unreachable');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(SHORT_LEASE_MS / 1000));
    // Nothing was decided: the approval is still pending for whoever asks.
    expect((await (await B.call(`/session/${id}`)).json()).awaitingApproval).toBe(true);

    // A ChatSession on B keeps the approval pending and sends it again after Retry-After, until the lease runs out.
    const answers: number[] = [];
    const session = new ChatSession({
      client: new ChatClient({
        endpoint: b.base,
        headers: { 'x-user': 'ann' },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (init?.method === 'POST' && String(init.body).includes('"approvals"')) answers.push(response.status);
          return response;
        },
      }),
      sessionId: id,
      storageKey: null,
    });
    session.connect();
    await waitFor(() => session.ready && session.state.status === 'awaiting_approval', 15_000);
    const approving = session.approve([{ toolCallId, decision: 'approve' }]);
    await waitFor(() => answers.length === 1, 15_000);
    expect(answers[0]).toBe(503);
    expect(session.state.status).toBe('awaiting_approval');
    expect(session.error).toBeUndefined();
    expect(await approving).toBe(true);
    expect(answers.length).toBeGreaterThanOrEqual(2);
    // The owner never came back: the turn ends as lost (retryable), said so instead of an approval silently gone.
    await waitFor(() => session.state.status === 'idle', 15_000);
    expect(session.state.messages.at(-1)?.role).toBe('assistant');
    expect(JSON.stringify(session.state)).toContain('turn_lost');
    session.disconnect();
    // Interrupting and titling through B are refused the same retryable way, not silently dropped.
    const interrupt = await B.post(`/interrupt/${id}`);
    expect([503, 200]).toContain(interrupt.status);
    if (interrupt.status === 200) expect(await interrupt.json()).toEqual({ interrupted: false });
    else expect(((await interrupt.json()) as { error: { code: string } }).error.code).toBe('owner_unreachable');

    // Once the lease runs out, B ends the turn as lost (retryable), and the session takes turns again.
    const lost = await readEvents(await B.events(id, approval.id!), (e) => e.event.type === 'error');
    expect(lost.at(-1)!.event).toMatchObject({ type: 'error', code: 'turn_lost', retryable: true });
    expect(text(await readEvents(await B.post(`/chat/${id}`, { text: 'again' })))).toBe('echo: again');
  });

  it('SIGKILL of A mid-turn: B subscribers get turn_lost within 1.5 × the lease, and the session is usable again', async () => {
    const { A, B } = await startPair(SHORT_LEASE_MS);
    const id = await A.createSession();
    const onA = await readEvents(await A.post(`/chat/${id}`, { text: 'hold it' }), (e) => e.event.type === 'assistant_chunk');
    const lastOnA = ids(onA).at(-1)!;
    // B's subscriber is up to date before A dies (A wrote those events to Redis).
    let deliveredAt = 0;
    const subscription = readEvents(await B.events(id, 0), (e) => {
      if (e.event.type === 'error') deliveredAt = Date.now();
      return e.event.type === 'error';
    });
    await waitFor(async () => (await (await B.call(`/session/${id}`)).json()).lastEventId === lastOnA, 15_000);

    const killedAt = Date.now();
    await a.kill();
    const events = await subscription;
    const elapsed = deliveredAt - killedAt;
    // The documented bound is 1.5 × leaseMs plus Redis round trips; 2 s of slack for two shared, busy cores.
    expect(elapsed).toBeLessThan(1.5 * SHORT_LEASE_MS + 2_000);
    expect(ids(events)).toEqual(range(1, lastOnA + 1));
    expect(events.at(-1)!.event).toMatchObject({ type: 'error', code: 'turn_lost', retryable: true });

    const after = await readEvents(await B.post(`/chat/${id}`, { text: 'are you there' }));
    expect(text(after)).toBe('echo: are you there');
    expect(ids(after)[0]).toBe(lastOnA + 2);
    const history = sessionMessagesSchema.parse(await (await B.call(`/session/${id}/messages`)).json());
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(b.stderr()).not.toMatch(/TypeError|ReferenceError/);
  });
});

describe('redisStore: retention in one process', () => {
  const start = useServers(nodeFactory);
  const retentionPrefix = `${prefix}:retention`;

  it('trims the stream after each turn (XTRIM); resuming from before it gives a snapshot, then the live tail', async () => {
    const s = await start({ store: redisStore({ url: REDIS_URL, prefix: retentionPrefix, retainEvents: 3 }) });
    const id = await s.createSession();
    await readEvents(await s.post(`/chat/${id}`, { text: 'one' }));
    const second = await readEvents(await s.post(`/chat/${id}`, { text: 'two' }));
    const lastId = ids(second).at(-1)!;
    const redis = new Redis(REDIS_URL);
    try {
      // The trim runs right after the turn's end is written.
      await waitFor(async () => (await redis.xlen(`${retentionPrefix}:log:${id}`)) === 3);
      const entries = await redis.xrange(`${retentionPrefix}:log:${id}`, '-', '+');
      expect(entries.map(([entryId]) => entryId)).toEqual([lastId - 2, lastId - 1, lastId].map((n) => `${n}-0`));
    } finally {
      await redis.quit();
    }
    const resumed = readEvents(await s.call(`/events/${id}`, { headers: { 'last-event-id': '1' } }), (e) => e.event.type === 'turn_complete');
    const third = await readEvents(await s.post(`/chat/${id}`, { text: 'three' }));
    const events = await resumed;
    expect(types(events).slice(0, 2)).toEqual(['ready', 'snapshot']);
    expect(ids(events)).toEqual(range(lastId, ids(third).at(-1)!));
  });
});

