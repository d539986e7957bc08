import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sessionInfoSchema } from '@agent-chat/core/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession, postChat, readEvents, startTestServer, waitFor, type TestServer } from '../__fixtures__/harness.js';
import { sqliteStore } from '../stores/sqlite-store.js';

describe('session titles (autoTitle)', () => {
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const titleOf = async (server: TestServer, id: string) =>
    sessionInfoSchema.parse(await (await fetch(`${server.base}/session/${id}`)).json()).title;

  it('titles a session that had turns but no title (a server before this one, a restart) at its next turn, from its first message', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'agent-chat-titles-'));
    dirs.push(dir);
    const file = path.join(dir, 'sessions.db');

    const before = await startTestServer({ store: sqliteStore({ path: file }), autoTitle: false });
    servers.push(before);
    const id = await createSession(before.base);
    // The first turn is stopped at its approval: no title, as before titles came from the server.
    const first = await readEvents(await postChat(before.base, id, { text: 'Sort my pancake recipes by flour' }));
    expect(first.at(-1)!.event.type).toBe('approval_required');
    await fetch(`${before.base}/interrupt/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    await waitFor(async () => sessionInfoSchema.parse(await (await fetch(`${before.base}/session/${id}`)).json()).processing === false);
    expect(await titleOf(before, id)).toBeUndefined();
    await servers.shift()!.close();

    const after = await startTestServer({ store: sqliteStore({ path: file }) });
    servers.push(after);
    expect(await titleOf(after, id)).toBeUndefined();
    await readEvents(await postChat(after.base, id, { text: 'something else entirely' }));
    await waitFor(async () => (await titleOf(after, id)) === 'Sort my pancake recipes by flour');
    // Titled once: the turn after that keeps it.
    await fetch(`${after.base}/interrupt/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    await waitFor(async () => sessionInfoSchema.parse(await (await fetch(`${after.base}/session/${id}`)).json()).processing === false);
    const third = await readEvents(await postChat(after.base, id, { text: 'and a third one' }));
    expect(third.filter((e) => e.event.type === 'title')).toEqual([]);
    expect(await titleOf(after, id)).toBe('Sort my pancake recipes by flour');
  });
});
