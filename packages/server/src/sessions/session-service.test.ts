import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '@agent-chat/core';
import { scriptedAgent, type ScriptedAgent } from '../__fixtures__/scripted-agent.js';
import { ChatError } from '../chat-error.js';
import type { Cluster, ClusterCommand } from '../cluster/cluster.js';
import { localCluster } from '../cluster/local.js';
import { memoryStore } from '../stores/memory-store.js';
import { SessionService, type SessionServiceOptions } from './session-service.js';

const quiet = { warn() {}, error() {} };
let service: SessionService | undefined;

afterEach(async () => {
  await service?.close(1_000);
  service = undefined;
});

function makeService(agent: ScriptedAgent = scriptedAgent(), options: Partial<SessionServiceOptions> = {}): SessionService {
  service = new SessionService({ agent, maxSessions: 10, maxSessionsPerUser: 5, logger: quiet, autoTitle: false, ...options });
  return service;
}

/** The events of a session after `afterId`, once one of `until` arrives. */
async function eventsAfter(s: SessionService, id: string, afterId: number, until: AgentEvent['type'][]): Promise<AgentEvent[]> {
  const session = s.get(id, 'ann')!;
  return new Promise((resolve) => {
    const seen: AgentEvent[] = [];
    const stop = session.log.subscribe(afterId, ({ event }) => {
      seen.push(event);
      if (until.includes(event.type)) {
        queueMicrotask(() => stop());
        resolve(seen);
      }
    });
  });
}

/** What a refusal says, for comparison: its code, and that it carries no HTTP status. */
async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; hasStatus: boolean }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(ChatError);
    return { code: (error as ChatError).code, hasStatus: 'status' in (error as object) };
  }
  throw new Error('expected a refusal');
}

describe('SessionService', () => {
  it('startTurn returns the id after which the turn\'s events come, and refuses a second turn with turn_running', async () => {
    const s = makeService();
    const { session, created } = await s.create('ann');
    expect(created).toBe(true);
    const before = session.log.lastId;
    const after = await s.startTurn(session, { text: 'hold on' });
    expect(after).toBe(before);
    // Subscribing after the call still sees the whole turn live: the agent runs from the next macrotask on.
    const events = eventsAfter(s, session.id, after, ['assistant_chunk']);
    expect((await events).map((e) => e.type)).toEqual(['processing', 'assistant_chunk']);
    expect((await events)[0]).toMatchObject({ type: 'processing', userMessage: { text: 'hold on' } });
    expect(await refusal(s.startTurn(session, { text: 'again' }))).toEqual({ code: 'turn_running', hasStatus: false });
    expect(await s.interrupt(session)).toBe(true);
    expect(await s.interrupt(session)).toBe(false);
  });

  it('submitApprovals: no_pending_approval, invalid_approvals with issues, then the id the resumed turn starts after', async () => {
    const s = makeService();
    const { session } = await s.create('ann');
    expect(await refusal(s.submitApprovals(session, [{ toolCallId: 'x', decision: 'approve' }]))).toEqual({ code: 'no_pending_approval', hasStatus: false });
    const waiting = eventsAfter(s, session.id, await s.startTurn(session, { text: 'approve it' }), ['approval_required']);
    const required = (await waiting).at(-1) as Extract<AgentEvent, { type: 'approval_required' }>;
    const toolCallId = required.tools[0]!.toolCallId;
    const invalid = await s.submitApprovals(session, [{ toolCallId: 'nope', decision: 'approve' }]).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ChatError);
    expect((invalid as ChatError).code).toBe('invalid_approvals');
    expect((invalid as ChatError).issues?.length).toBeGreaterThan(0);
    const lastId = session.log.lastId;
    const after = await s.submitApprovals(session, [{ toolCallId, decision: 'approve' }]);
    expect(after).toBe(lastId);
    const resumed = await eventsAfter(s, session.id, after, ['turn_complete']);
    expect(resumed[0]).toMatchObject({ type: 'tool_state_change', toolCallId, state: 'approved' });
  });

  it('undo, truncate and compact refuse what they cannot do with codes; create reuses an empty session; close refuses with shutting_down', async () => {
    const s = makeService();
    const { session } = await s.create('ann');
    expect(await refusal(s.undo(session))).toEqual({ code: 'nothing_to_undo', hasStatus: false });
    expect((await s.create('ann', {}, { reuse: 'empty' })).session).toBe(session);
    await eventsAfter(s, session.id, await s.startTurn(session, { text: 'one' }), ['turn_complete']);
    await eventsAfter(s, session.id, await s.startTurn(session, { text: 'two' }), ['turn_complete']);
    expect((await s.undo(session)).messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const bad = await s.truncate(session, 5).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_body', issues: [{ path: ['userMessageIndex'] }] });
    expect((await s.truncate(session, 0)).messages).toEqual([]);
    expect(await s.compact(session)).toEqual({ tokensBefore: 0, tokensAfter: 0 });
    expect((await s.create('ann', {}, { reuse: 'empty' })).created).toBe(false);
    expect(await refusal(s.open('missing', 'ann'))).toEqual({ code: 'session_not_found', hasStatus: false });
    expect(await refusal(s.open(session.id, 'bob'))).toEqual({ code: 'session_not_found', hasStatus: false });
    await s.close(1_000);
    expect(await refusal(s.create('ann'))).toEqual({ code: 'shutting_down', hasStatus: false });
    expect(await refusal(s.startTurn(session, { text: 'late' }))).toEqual({ code: 'shutting_down', hasStatus: false });
  });

  it('limits: session_limit and too_many_sessions carry retryAfterSeconds, not headers', async () => {
    const s = makeService(scriptedAgent(), { maxSessions: 3, maxSessionsPerUser: 2 });
    await s.create('ann');
    await s.create('ann');
    const limit = await s.create('ann').catch((e: unknown) => e);
    expect(limit).toMatchObject({ code: 'session_limit' });
    expect((limit as ChatError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await s.create('bob');
    expect(await s.create('cy').catch((e: unknown) => (e as ChatError).code)).toBe('too_many_sessions');
  });

  it('every writer command takes one path, cluster.run, and runs through the one executor', async () => {
    const local = localCluster();
    const ran: ClusterCommand['kind'][] = [];
    const recording: Cluster = { ...local, run: (id, command) => (ran.push(command.kind), local.run(id, command)) };
    const s = makeService(scriptedAgent(), { store: { ...memoryStore(), cluster: recording } });
    const { session } = await s.create('ann');
    const waiting = eventsAfter(s, session.id, await s.startTurn(session, { text: 'approve it' }), ['approval_required']);
    const required = (await waiting).at(-1) as Extract<AgentEvent, { type: 'approval_required' }>;
    await s.submitApprovals(session, [{ toolCallId: required.tools[0]!.toolCallId, decision: 'reject' }]);
    await eventsAfter(s, session.id, session.log.lastId - 1, ['turn_complete']);
    await s.appendTitle(session, 'Named');
    expect(session.title).toBe('Named');
    await s.startTurn(session, { text: 'hold' });
    expect(await s.interrupt(session)).toBe(true);
    expect(ran).toEqual(['approvals', 'append', 'interrupt']);
  });
});
