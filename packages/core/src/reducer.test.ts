import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from './events.js';
import { decodeAgentEvent } from './protocol-shapes.js';
import {
  createConversationState,
  reduce,
  RESEARCH_STEPS_KEPT,
  stateFromSessionMessages,
  type ConversationState,
} from './reducer.js';

interface RecordedEvent {
  id?: number;
  event: AgentEvent;
}

const FIXTURES = [
  'plain-text',
  'tools-approval-edited',
  'approval-rejected',
  'interrupted',
  'error',
  'research',
  'usage',
  'snapshot-then-live',
  'duplicate-ids',
] as const;

/** A recorded stream from `__fixtures__/`, each event validated as a client would on the wire. */
function load(name: (typeof FIXTURES)[number]): RecordedEvent[] {
  const raw = JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Array<{
    id?: number;
    event: unknown;
  }>;
  return raw.map(({ id, event }) => {
    const parsed = decodeAgentEvent(event);
    if (!parsed) throw new Error(`${name}: unknown event ${JSON.stringify(event)}`);
    return id === undefined ? { event: parsed } : { id, event: parsed };
  });
}

/** Reduces a fixture from an empty state, up to and including the event with id `untilId`. */
function replay(name: (typeof FIXTURES)[number], untilId = Infinity): ConversationState {
  let state = createConversationState();
  for (const { id, event } of load(name)) {
    if (id !== undefined && id > untilId) break;
    state = reduce(state, event, id);
  }
  return state;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

const user = (id: string, text: string, turnId: string, createdAt: number) => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text, state: 'done' }],
  turnId,
  createdAt,
});

describe('reduce on recorded streams', () => {
  it('a plain text turn', () => {
    expect(replay('plain-text')).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Hello', 't1', 1000),
        { id: 'a1', role: 'assistant', turnId: 't1', parts: [{ type: 'text', text: 'Hello **world**', state: 'done' }] },
      ],
      pendingApprovals: [],
      status: 'idle',
      usage: {},
      lastEventId: 5,
    });
  });

  it('a plain text turn while it streams', () => {
    const state = replay('plain-text', 3);
    expect(state.status).toBe('running');
    expect(state.turnId).toBe('t1');
    expect(state.messages[1]!.parts).toEqual([{ type: 'text', text: 'Hello **world**', state: 'streaming' }]);
  });

  it('thinking, tools and an approval: waiting for the decision', () => {
    const state = replay('tools-approval-edited', 9);
    expect(state.status).toBe('awaiting_approval');
    expect(state.turnId).toBe('t1');
    expect(state.pendingApprovals).toEqual([
      {
        toolCallId: 'c2',
        name: 'write_file',
        input: { path: 'notes/a.md', content: 'draft' },
        reason: 'Writes a file',
        inputSchema: { type: 'object' },
      },
    ]);
    expect(state.messages[1]!.parts.map((p) => [p.type, p.state])).toEqual([
      ['thinking', 'done'],
      ['text', 'done'],
      ['tool_call', 'done'],
      ['tool_call', 'awaiting_approval'],
    ]);
  });

  it('thinking, tools and an approval approved with an edited input', () => {
    expect(replay('tools-approval-edited')).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Write a note', 't1', 1000),
        {
          id: 'a1',
          role: 'assistant',
          turnId: 't1',
          parts: [
            { type: 'thinking', text: 'Let me think.', state: 'done', signature: 'sig-1' },
            { type: 'text', text: 'I will look first.', state: 'done' },
            {
              type: 'tool_call',
              toolCallId: 'c1',
              name: 'list_files',
              input: { path: '.' },
              state: 'done',
              output: ['notes.md'],
              isError: false,
            },
            {
              type: 'tool_call',
              toolCallId: 'c2',
              name: 'write_file',
              input: { path: 'notes/a.md', content: 'final' },
              originalInput: { path: 'notes/a.md', content: 'draft' },
              state: 'done',
              output: 'Wrote 5 bytes',
              isError: false,
            },
            { type: 'text', text: 'Done.', state: 'done' },
          ],
        },
      ],
      pendingApprovals: [],
      status: 'idle',
      usage: {},
      lastEventId: 16,
    });
  });

  it('the approval is settled as soon as the decision arrives, before the turn resumes', () => {
    const state = replay('tools-approval-edited', 10);
    expect(state.pendingApprovals).toEqual([]);
    expect(state.status).toBe('running');
    expect(state.messages[1]!.parts[3]).toMatchObject({ state: 'approved', input: { content: 'final' } });
  });

  it('a rejected approval with feedback, next to an approved call the model had not announced', () => {
    const waiting = replay('approval-rejected', 3);
    expect(waiting.pendingApprovals.map((p) => p.toolCallId)).toEqual(['c1', 'c2']);
    expect(replay('approval-rejected', 4)).toMatchObject({ status: 'awaiting_approval' });
    expect(replay('approval-rejected', 4).pendingApprovals.map((p) => p.toolCallId)).toEqual(['c2']);

    expect(replay('approval-rejected')).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Clean up', 't1', 1000),
        {
          id: 'a1',
          role: 'assistant',
          turnId: 't1',
          parts: [
            {
              type: 'tool_call',
              toolCallId: 'c1',
              name: 'delete_file',
              input: { path: 'old.txt' },
              state: 'rejected',
              feedback: 'Keep the file, it is still used',
            },
            {
              type: 'tool_call',
              toolCallId: 'c2',
              name: 'write_file',
              input: { path: 'new.txt', content: 'x' },
              state: 'done',
              output: 'Wrote 1 byte',
              isError: false,
            },
            { type: 'text', text: 'OK, I kept old.txt.', state: 'done' },
          ],
        },
      ],
      pendingApprovals: [],
      status: 'idle',
      usage: {},
      lastEventId: 9,
    });
  });

  it('an interrupted turn: open parts close, the running tool call is interrupted', () => {
    expect(replay('interrupted')).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Research', 't1', 1000),
        {
          id: 'a1',
          role: 'assistant',
          turnId: 't1',
          parts: [
            { type: 'thinking', text: 'Hmm', state: 'done' },
            { type: 'text', text: 'Starting', state: 'done' },
            { type: 'tool_call', toolCallId: 'c1', name: 'read_file', input: { path: 'a.md' }, state: 'interrupted' },
          ],
          interrupted: true,
        },
      ],
      pendingApprovals: [],
      status: 'idle',
      usage: {},
      lastEventId: 5,
    });
  });

  it('puts the files of the user message on it, decoded from the wire as a client reads them', () => {
    const attachment = { id: 'f1', name: 'cat.png', mediaType: 'image/png', size: 68, width: 1, height: 1 };
    const event = decodeAgentEvent({
      type: 'processing',
      turnId: 't1',
      assistantMessageId: 'a1',
      userMessage: { id: 'u1', text: '', attachments: [attachment] },
    })!;
    const state = reduce(createConversationState(), event);
    expect(state.messages[0]).toMatchObject({ id: 'u1', role: 'user', attachments: [attachment] });
    const plain = reduce(createConversationState(), { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'Hi' } });
    expect(plain.messages[0]).not.toHaveProperty('attachments');
  });

  it('marks the stopped answer interrupted, even with nothing left open or nothing written yet; a finished one never', () => {
    const turn = (id: string): AgentEvent => ({ type: 'processing', turnId: `t${id}`, assistantMessageId: `a${id}`, userMessage: { id: `u${id}`, text: 'Hi' } });
    const events: AgentEvent[] = [
      turn('1'),
      { type: 'assistant_chunk', messageId: 'a1', delta: 'Done.' },
      { type: 'assistant_stream_end', messageId: 'a1' },
      { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' },
      // Stopped between two parts: nothing is open, the answer is still cut short.
      turn('2'),
      { type: 'assistant_chunk', messageId: 'a2', delta: 'Half' },
      { type: 'assistant_stream_end', messageId: 'a2' },
      { type: 'interrupted', turnId: 't2' },
      // Stopped before a word: the empty answer says so too.
      turn('3'),
      { type: 'interrupted', turnId: 't3' },
      // A late duplicate touches nothing.
      { type: 'interrupted', turnId: 't3' },
    ];
    const state = events.reduce((s, e) => reduce(s, e), createConversationState('s1'));
    const marks = state.messages.filter((m) => m.role === 'assistant').map((m) => `${m.id}:${m.interrupted ?? false}`);
    expect(marks).toEqual(['a1:false', 'a2:true', 'a3:true']);
    const shutdown = reduce(reduce(createConversationState('s2'), turn('9')), { type: 'shutdown' });
    expect(shutdown.messages.at(-1)?.interrupted).toBe(true);
  });

  it('an error turn keeps the error until the next turn starts', () => {
    const failed = replay('error', 4);
    expect(failed).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Hi', 't1', 1000),
        {
          id: 'a1',
          role: 'assistant',
          turnId: 't1',
          parts: [
            { type: 'text', text: 'Partial', state: 'done' },
            { type: 'tool_call', toolCallId: 'c1', name: 'calculate', input: { expression: '1/0' }, state: 'error' },
          ],
        },
      ],
      pendingApprovals: [],
      status: 'idle',
      usage: {},
      error: { code: 'overloaded', message: 'The model is overloaded, try again', retryable: true },
      lastEventId: 4,
    });

    const next = replay('error');
    expect(next.error).toBeUndefined();
    expect(next.status).toBe('idle');
    // The earlier turn's messages are left as they were, down to the reference.
    expect(next.messages.slice(0, 2)).toEqual(failed.messages);
    const [, , , , , secondTurn] = load('error');
    const started = reduce(failed, secondTurn!.event, secondTurn!.id);
    expect(started.messages[1]).toBe(failed.messages[1]);
    expect(next.messages.slice(2)).toEqual([
      user('u2', 'Again', 't2', 2000),
      { id: 'a2', role: 'assistant', turnId: 't2', parts: [{ type: 'text', text: 'Fine', state: 'done' }] },
    ]);
  });

  it('research sub-agents from tool_log: merged by agent id, steps deduplicated and capped', () => {
    expect(RESEARCH_STEPS_KEPT).toBe(5);
    const state = replay('research');
    const call = state.messages[1]!.parts[0];
    expect(call).toEqual({
      type: 'tool_call',
      toolCallId: 'c1',
      name: 'research',
      input: { question: 'X' },
      state: 'done',
      output: 'Findings: X is configured in docs/api.md',
      isError: false,
      agents: [
        {
          agentId: 'r1',
          label: 'Docs',
          status: 'done',
          step: 'Reading docs/api.md',
          steps: ['Reading docs/setup.md', 'Reading docs/api.md'],
          toolCount: 2,
          tokens: 600,
          elapsedMs: 1600,
        },
        {
          agentId: 'r2',
          label: 'Code',
          status: 'done',
          step: 'Summarising',
          steps: ['Reading src/a.ts', 'Reading src/b.ts', 'Reading src/c.ts', 'Reading src/d.ts', 'Summarising'],
          toolCount: 5,
          tokens: 500,
          elapsedMs: 1500,
        },
      ],
    });
    expect(state.messages[1]!.parts[1]).toEqual({ type: 'text', text: 'X is configured in the API docs.', state: 'done' });
  });

  it('usage: step usage adds up for the turn, a turn total replaces it, the session total follows cumulative', () => {
    const afterSteps = replay('usage', 4);
    expect(afterSteps.usage).toEqual({
      turn: { inputTokens: 250, outputTokens: 50, cacheReadTokens: 50, cacheWriteTokens: 10, costUsd: 0.25 },
      session: { inputTokens: 250, outputTokens: 50, cacheReadTokens: 50, cacheWriteTokens: 10, costUsd: 0.25 },
    });
    const total = { inputTokens: 260, outputTokens: 50, cacheReadTokens: 50, cacheWriteTokens: 10, costUsd: 0.25 };
    expect(replay('usage', 6).usage).toEqual({ turn: total, session: total });
    // A new turn from the user starts a new turn total; the session total stays.
    const next = replay('usage');
    expect(next.usage).toEqual({ session: total });
    expect(next.status).toBe('running');
    expect(next.sessionId).toBe('s2');
  });

  it('a snapshot followed by live events', () => {
    const atSnapshot = replay('snapshot-then-live', 12);
    expect(atSnapshot).toMatchObject({ status: 'running', turnId: 't1', title: 'Old title', lastEventId: 12 });
    expect(replay('snapshot-then-live')).toEqual({
      sessionId: 's1',
      messages: [
        user('u1', 'Tell me', 't1', 1000),
        { id: 'a1', role: 'assistant', turnId: 't1', parts: [{ type: 'text', text: 'Partial answer', state: 'done' }] },
      ],
      pendingApprovals: [],
      status: 'idle',
      title: 'New title',
      usage: { session: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 } },
      lastEventId: 16,
    });
  });

  it('a snapshot at the last applied id replaces the state', () => {
    const live = replay('plain-text');
    const [, snapshot] = load('snapshot-then-live');
    const state = reduce(live, snapshot!.event, live.lastEventId);
    expect(state.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    expect(state.messages[1]!.parts).toEqual([{ type: 'text', text: 'Partial ans', state: 'streaming' }]);
    expect(state.lastEventId).toBe(live.lastEventId);
  });

  it('a snapshot below the last applied id is a replay and changes nothing (found by reducer.fuzz.test.ts)', () => {
    // An undo's snapshot at 1, then a step's usage at 2; a resume from cursor 0 replays both.
    const step = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 };
    const log: Array<[number, AgentEvent]> = [
      [1, { type: 'snapshot', messages: [], pendingApprovals: [], processing: false }],
      [2, { type: 'usage', scope: 'step', usage: step, cumulative: step }],
    ];
    let once = createConversationState();
    for (const [id, event] of log) once = reduce(once, event, id);
    let replayed = once;
    for (const [id, event] of log) replayed = reduce(replayed, event, id);
    expect(replayed).toBe(once);
    expect(replayed.usage.turn).toEqual(step);
  });

  it('events at or below the last applied id are ignored', () => {
    const state = replay('duplicate-ids');
    expect(state.messages[1]!.parts).toEqual([{ type: 'text', text: 'ABC', state: 'done' }]);
    expect(state.lastEventId).toBe(5);
    expect(state.status).toBe('idle');
    const again = reduce(state, { type: 'assistant_chunk', messageId: 'a1', delta: 'X' }, 5);
    expect(again).toBe(state);
  });

  it('builds the same state from a messages answer as from the snapshot event', () => {
    const [, snapshot] = load('snapshot-then-live');
    const { type: _type, ...body } = snapshot!.event as Extract<AgentEvent, { type: 'snapshot' }>;
    const state = stateFromSessionMessages({ ...body, lastEventId: 12 }, 's1');
    expect(state).toEqual({ ...replay('snapshot-then-live', 12), sessionId: 's1' });
  });
});

describe('reduce is pure', () => {
  it.each(FIXTURES)('%s: never mutates its input (deep-frozen at every step)', (name) => {
    let state = deepFreeze(createConversationState());
    for (const { id, event } of load(name)) {
      const before = structuredClone(state);
      const next = reduce(state, deepFreeze(event), id);
      expect(state).toEqual(before);
      state = deepFreeze(next);
    }
    expect(state).toEqual(replay(name));
  });

  it('replaces only the message that changed, so renderers can compare by reference', () => {
    const before = replay('plain-text', 2);
    const after = reduce(before, { type: 'assistant_chunk', messageId: 'a1', delta: '!' }, 3);
    expect(after).not.toBe(before);
    expect(after.messages[0]).toBe(before.messages[0]);
    expect(after.messages[1]).not.toBe(before.messages[1]);
  });
});
