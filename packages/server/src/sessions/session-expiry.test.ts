import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { expectError, useServers } from '../__fixtures__/conformance-suite.js';
import { readEvents, recordingLogger, types, waitFor } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { SessionManager } from './session-manager.js';

const start = useServers(nodeFactory);

describe('idle session expiry', () => {
  it('deletes a session idle for idleTimeoutMs and ends its streams with shutdown (session_expired)', async () => {
    const s = await start({ idleTimeoutMs: 150 });
    const idle = await s.createSession();
    const stream = readEvents(await s.call(`/events/${idle}`));
    const events = await stream;
    expect(types(events)).toEqual(['ready', 'snapshot', 'shutdown']);
    expect(events.at(-1)!.event).toMatchObject({ reason: 'session_expired' });
    await expectError(await s.call(`/session/${idle}`), 404, 'session_not_found');
    expect(s.chat.sessions.size).toBe(0);
  });

  it('requests postpone expiry; a running turn prevents it; one waiting for approval does not', async () => {
    const manager = new SessionManager({
      agent: scriptedAgent(),
      maxSessions: 10,
      maxSessionsPerUser: 10,
      idleTimeoutMs: 1_000,
      logger: recordingLogger(),
    });
    const used = manager.create('u');
    const running = manager.create('u');
    const waiting = manager.create('u');
    running.runner.start({ text: 'hold on' });
    waiting.runner.start({ text: 'approve this' });
    await waitFor(() => waiting.runner.pendingApprovals.length === 1);
    const t0 = Date.now();
    for (const session of [used, running, waiting]) session.lastActiveAt = t0;
    expect(manager.expireIdle(t0 + 999)).toBe(0);
    used.touch();
    expect(used.lastActiveAt).toBeGreaterThanOrEqual(t0);
    used.lastActiveAt = t0 + 500;
    expect(manager.expireIdle(t0 + 1_000)).toBe(1);
    expect(waiting.log.readAfter(0).at(-1)!.event.type).toBe('interrupted');
    expect(new Set(manager.list('u'))).toEqual(new Set([used, running]));
    expect(manager.expireIdle(t0 + 1_500)).toBe(1);
    expect(manager.list('u')).toEqual([running]);
    await manager.close(1_000);
  });

  it('0 turns expiry off, and the sweeper never holds the process open', async () => {
    const manager = new SessionManager({
      agent: scriptedAgent(),
      maxSessions: 10,
      maxSessionsPerUser: 10,
      idleTimeoutMs: 0,
      logger: recordingLogger(),
    });
    const session = manager.create('u');
    session.lastActiveAt = 0;
    expect(manager.expireIdle()).toBe(0);
    expect(manager.size).toBe(1);
  });

  it('Retry-After of the limits is the time until the first idle session expires', async () => {
    const s = await start({ idleTimeoutMs: 120_000, maxSessionsPerUser: 1, maxSessions: 2 });
    await s.createSession('a');
    const limited = await s.post('/session', undefined, { user: 'a' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(100);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    await expectError(limited, 429, 'session_limit');
  });
});
