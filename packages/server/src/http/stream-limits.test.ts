import { errorBodySchema } from '@agent-chat/core/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession, postChat, readEvents, startTestServer, waitFor, type TestServer } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function expectTooManyStreams(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = errorBodySchema.parse(await response.json());
  expect(body.error.code).toBe('too_many_streams');
  expect(body.error.message).toMatch(/stream/);
}

describe('stream limits', () => {
  it('refuses the newest stream of a session past maxStreamsPerSession with 429 too_many_streams; a closed one frees its slot', async () => {
    const agent = scriptedAgent();
    server = await startTestServer({ agent, maxStreamsPerSession: 2 });
    const { base } = server;
    const id = await createSession(base);
    const session = server.chat.sessions.get(id, 'dev')!;
    const first = new AbortController();
    const second = new AbortController();
    expect((await fetch(`${base}/events/${id}`, { signal: first.signal })).status).toBe(200);
    expect((await fetch(`${base}/events/${id}`, { signal: second.signal })).status).toBe(200);
    await expectTooManyStreams(await fetch(`${base}/events/${id}`));
    await expectTooManyStreams(await fetch(`${base}/events/${id}`, { headers: { 'last-event-id': '0' } }));
    // A chat POST opens a stream too: refused before any turn starts.
    await expectTooManyStreams(await postChat(base, id, { text: 'hello' }));
    expect(agent.runs).toBe(0);
    expect(session.openStreams).toBe(2);

    first.abort();
    await waitFor(() => session.openStreams === 1);
    // The freed slot takes a chat POST, whose stream frees it again when the turn ends.
    const turn = await readEvents(await postChat(base, id, { text: 'hello' }));
    expect(turn.at(-1)!.event.type).toBe('turn_complete');
    await waitFor(() => session.openStreams === 1);
    const third = new AbortController();
    expect((await fetch(`${base}/events/${id}`, { signal: third.signal })).status).toBe(200);
    await expectTooManyStreams(await fetch(`${base}/events/${id}`));
    second.abort();
    third.abort();
    await waitFor(() => session.openStreams === 0);
  });

  it('frees the slot of a chat POST whose client leaves mid-turn (the turn goes on)', async () => {
    const agent = scriptedAgent();
    server = await startTestServer({ agent, maxStreamsPerSession: 1 });
    const { base } = server;
    const id = await createSession(base);
    const session = server.chat.sessions.get(id, 'dev')!;
    const aborter = new AbortController();
    const held = await postChat(base, id, { text: 'hold on' }, { signal: aborter.signal });
    await readEvents(held, (e) => e.event.type === 'assistant_chunk');
    await expectTooManyStreams(await fetch(`${base}/events/${id}`));
    aborter.abort();
    await waitFor(() => session.openStreams === 0);
    expect(session.info().processing).toBe(true);
    const follow = readEvents(await fetch(`${base}/events/${id}`, { headers: { 'last-event-id': '0' } }), (e) => e.event.type === 'turn_complete');
    await waitFor(() => session.openStreams === 1);
    agent.release();
    expect((await follow).at(-1)!.event.type).toBe('turn_complete');
  });

  it('caps the streams of one user over all their sessions (maxStreamsPerUser), not other users', async () => {
    server = await startTestServer({
      maxStreamsPerUser: 3,
      auth: (request) => ({ id: request.headers.get('x-user') ?? 'ann' }),
    });
    const { base } = server;
    const as = (user: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { 'x-user': user, ...(init.headers ?? {}) } });
    const ann1 = ((await (await fetch(`${base}/session`, as('ann', { method: 'POST' }))).json()) as { id: string }).id;
    const ann2 = ((await (await fetch(`${base}/session`, as('ann', { method: 'POST' }))).json()) as { id: string }).id;
    const bob = ((await (await fetch(`${base}/session`, as('bob', { method: 'POST' }))).json()) as { id: string }).id;
    const aborter = new AbortController();
    for (const id of [ann1, ann1, ann2]) {
      expect((await fetch(`${base}/events/${id}`, as('ann', { signal: aborter.signal }))).status).toBe(200);
    }
    await expectTooManyStreams(await fetch(`${base}/events/${ann2}`, as('ann')));
    expect((await fetch(`${base}/events/${bob}`, as('bob', { signal: aborter.signal }))).status).toBe(200);
    aborter.abort();
    await waitFor(() => server!.chat.sessions.get(ann1, 'ann')!.openStreams === 0);
    await waitFor(() => server!.chat.sessions.get(ann2, 'ann')!.openStreams === 0);
    const again = new AbortController();
    expect((await fetch(`${base}/events/${ann2}`, as('ann', { signal: again.signal }))).status).toBe(200);
    again.abort();
  });

  it('frees the slots of streams ended by the server (session deleted)', async () => {
    server = await startTestServer({ maxStreamsPerUser: 1 });
    const { base } = server;
    const id = await createSession(base);
    const stream = readEvents(await fetch(`${base}/events/${id}`));
    await waitFor(() => server!.chat.sessions.get(id, 'dev')?.openStreams === 1);
    expect((await fetch(`${base}/session/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await stream).at(-1)!.event.type).toBe('shutdown');
    const other = await createSession(base);
    const aborter = new AbortController();
    expect((await fetch(`${base}/events/${other}`, { signal: aborter.signal })).status).toBe(200);
    aborter.abort();
  });

  it('defaults to 16 per session and 64 per user', async () => {
    server = await startTestServer();
    const { base } = server;
    const id = await createSession(base);
    const aborter = new AbortController();
    for (let i = 0; i < 16; i++) expect((await fetch(`${base}/events/${id}`, { signal: aborter.signal })).status).toBe(200);
    await expectTooManyStreams(await fetch(`${base}/events/${id}`));
    aborter.abort();
  });
});

describe('StreamLimiter', () => {
  it('counts per session and per user, releases once, and reads odd caps sensibly', async () => {
    const { StreamLimiter } = await import('./stream-limiter.js');
    const limiter = new StreamLimiter(2, 3);
    const a1 = limiter.open('a', 'u');
    limiter.open('a', 'u');
    expect(() => limiter.assertAvailable('a', 'u')).toThrow(/2 open event streams/);
    limiter.assertAvailable('b', 'u');
    limiter.open('b', 'u');
    expect(() => limiter.assertAvailable('c', 'u')).toThrow(/3 open event streams/);
    limiter.assertAvailable('c', 'v');
    a1();
    a1();
    // Released once only: one slot back for session a and for u.
    limiter.assertAvailable('a', 'u2');
    limiter.assertAvailable('c', 'u');
    limiter.open('c', 'u');
    expect(() => limiter.assertAvailable('d', 'u')).toThrow(/3 open event streams/);
    expect(new StreamLimiter(0, -5)).toMatchObject({ perSession: 1, perUser: 1 });
    expect(new StreamLimiter(Number.NaN, 2.7)).toMatchObject({ perSession: 16, perUser: 2 });
    expect(new StreamLimiter(Infinity, Infinity)).toMatchObject({ perSession: Infinity, perUser: Infinity });
  });
});
