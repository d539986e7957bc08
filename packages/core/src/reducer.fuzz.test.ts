import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from './events.js';
import type { ChatMessage, PendingApproval, UsageTotals } from './messages.js';
import { createConversationState, reduce, stateFromSessionMessages, type ConversationState } from './reducer.js';
import { fuzzParams } from './__fixtures__/fuzz.js';

// Property-based tests of the reducer on event logs. "Any order" on an SSE
// stream means what a client can actually receive: a session's log (ids 1..n,
// strictly increasing) delivered in pieces, each piece resuming from a cursor
// at or below what was received before (reconnects with Last-Event-ID, replays
// after a reload, a POST stream overlapping a GET stream), or a fresh client
// starting from a snapshot at any point and following the live tail. Whatever
// the pieces, the state must be the state of the log delivered once.

// Small pools of ids, so that events keep meeting the same messages and tool calls.
const messageId = fc.constantFrom('u1', 'u2', 'a1', 'a2', 'a3');
const toolCallId = fc.constantFrom('c1', 'c2', 'c3');
const turnId = fc.constantFrom('t1', 't2', 't3');
const text = fc.string({ maxLength: 6 });
const usage: fc.Arbitrary<UsageTotals> = fc.record({
  inputTokens: fc.nat({ max: 1000 }),
  outputTokens: fc.nat({ max: 1000 }),
  cacheReadTokens: fc.nat({ max: 100 }),
  cacheWriteTokens: fc.nat({ max: 100 }),
  costUsd: fc.integer({ min: 0, max: 100 }).map((c) => c / 100),
});
const toolState = fc.constantFrom('running', 'awaiting_approval', 'approved', 'rejected', 'done', 'error', 'interrupted' as const);
const input = fc.oneof(fc.constant({}), fc.record({ path: text }));

const message: fc.Arbitrary<ChatMessage> = fc.record({
  id: messageId,
  role: fc.constantFrom('user' as const, 'assistant' as const),
  parts: fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('text' as const), text, state: fc.constantFrom('streaming' as const, 'done' as const) }),
      fc.record({ type: fc.constant('tool_call' as const), toolCallId, name: text, input, state: toolState }),
    ),
    { maxLength: 3 },
  ),
  turnId,
});
const pending: fc.Arbitrary<PendingApproval> = fc.record({ toolCallId, name: fc.constant('write_file'), input });

const event: fc.Arbitrary<AgentEvent> = fc.oneof(
  fc.record({ type: fc.constant('ready' as const), protocolVersion: fc.constant('1.0'), sessionId: fc.constantFrom('s1', 's2'), lastEventId: fc.nat({ max: 50 }) }),
  fc.record(
    {
      type: fc.constant('processing' as const),
      turnId,
      assistantMessageId: messageId,
      userMessage: fc.record({ id: messageId, text, createdAt: fc.nat({ max: 100 }) }),
    },
    { requiredKeys: ['type', 'turnId', 'assistantMessageId'] },
  ),
  fc.record({ type: fc.constant('assistant_chunk' as const), messageId, delta: text }),
  fc.record({ type: fc.constant('thinking_chunk' as const), messageId, delta: text }),
  fc.record({ type: fc.constant('assistant_stream_end' as const), messageId }),
  fc.record({ type: fc.constant('thinking_end' as const), messageId, signature: text }, { requiredKeys: ['type', 'messageId'] }),
  fc.record({ type: fc.constant('tool_call' as const), messageId, toolCallId, name: text, input }),
  fc.record({ type: fc.constant('tool_output' as const), toolCallId, output: fc.jsonValue({ maxDepth: 1 }), isError: fc.boolean() }),
  fc.record({ type: fc.constant('approval_required' as const), turnId, messageId, tools: fc.array(pending, { minLength: 1, maxLength: 2 }) }),
  fc.record({ type: fc.constant('tool_state_change' as const), toolCallId, state: toolState, input, feedback: text }, { requiredKeys: ['type', 'toolCallId', 'state'] }),
  fc.record({
    type: fc.constant('tool_log' as const),
    toolCallId,
    agent: fc.record({
      agentId: fc.constantFrom('r1', 'r2'),
      label: text,
      status: fc.constantFrom('running' as const, 'done' as const, 'error' as const),
      step: text,
      toolCount: fc.nat({ max: 9 }),
      tokens: fc.nat({ max: 999 }),
      elapsedMs: fc.nat({ max: 9999 }),
    }),
  }),
  fc.record({ type: fc.constant('usage' as const), scope: fc.constantFrom('step' as const, 'turn' as const), usage, cumulative: usage }),
  fc.record({ type: fc.constant('title' as const), title: text }),
  fc.record({ type: fc.constant('compacted' as const), tokensBefore: fc.nat(), tokensAfter: fc.nat(), messages: fc.array(message, { maxLength: 3 }) }, { requiredKeys: ['type', 'tokensBefore', 'tokensAfter'] }),
  fc.record(
    {
      type: fc.constant('snapshot' as const),
      messages: fc.array(message, { maxLength: 3 }),
      pendingApprovals: fc.array(pending, { maxLength: 2 }),
      processing: fc.boolean(),
      turnId,
      title: text,
      usage,
    },
    { requiredKeys: ['type', 'messages', 'pendingApprovals', 'processing'] },
  ),
  fc.record({ type: fc.constant('turn_complete' as const), turnId, stopReason: fc.constant('end_turn') }),
  fc.record({ type: fc.constant('error' as const), code: text, message: text, retryable: fc.boolean() }),
  fc.record({ type: fc.constant('interrupted' as const), turnId }),
  fc.record({ type: fc.constant('shutdown' as const) }),
) as fc.Arbitrary<AgentEvent>;

interface Logged {
  id: number;
  event: AgentEvent;
}

/** A session's log: ids strictly increasing from 1, with gaps sometimes (retention, coalesced replays). */
const log: fc.Arbitrary<Logged[]> = fc
  .array(fc.tuple(event, fc.integer({ min: 1, max: 3 })), { maxLength: 30 })
  .map((entries) => {
    let id = 0;
    return entries.map(([event, step]) => ({ id: (id += step), event }));
  });

/**
 * How a log reaches a client: pieces, each resuming from a cursor at or below the
 * highest id received so far (`back` ids back from it, capped at 0) and running
 * `length` events; a last piece from a cursor of the same kind to the end.
 */
const pieces = fc.array(fc.record({ back: fc.nat({ max: 40 }), length: fc.nat({ max: 40 }) }), { maxLength: 6 });

function deliverOnce(entries: Logged[], state = createConversationState()): ConversationState {
  for (const { id, event } of entries) state = reduce(state, event, id);
  return state;
}

/** Plays the pieces; returns the state and what was delivered, in order. */
function deliverInPieces(entries: Logged[], plan: Array<{ back: number; length: number }>) {
  let state = createConversationState();
  let received = 0;
  const delivered: number[] = [];
  const play = (cursor: number, length: number) => {
    const from = entries.findIndex((e) => e.id > cursor);
    if (from === -1) return;
    for (const { id, event } of entries.slice(from, from + length)) {
      state = reduce(state, event, id);
      delivered.push(id);
      received = Math.max(received, id);
    }
  };
  for (const { back, length } of plan) play(Math.max(0, received - back), length);
  const last = plan.at(-1);
  play(Math.max(0, received - (last?.back ?? 0)), Infinity);
  play(received, Infinity);
  return { state, delivered };
}

/** What `GET /session/:id/messages` answers for a state (as the server's Session.messages() builds it). */
function messagesOf(state: ConversationState) {
  return {
    messages: state.messages,
    pendingApprovals: state.pendingApprovals,
    processing: state.status !== 'idle',
    ...(state.turnId !== undefined ? { turnId: state.turnId } : {}),
    ...(state.title !== undefined ? { title: state.title } : {}),
    ...(state.usage.session ? { usage: state.usage.session } : {}),
    lastEventId: state.lastEventId,
  };
}

/** The parts of a state that a snapshot carries (the turn's usage and error are the live stream's alone). */
function visible(state: ConversationState) {
  const { messages, pendingApprovals, status, turnId, title, lastEventId } = state;
  return { messages, pendingApprovals, status, turnId, title, session: state.usage.session, lastEventId };
}

describe('reduce on a log delivered in pieces (fuzz)', () => {
  it('duplicated and replayed prefixes change nothing: the state is that of the log delivered once', () => {
    fc.assert(
      fc.property(log, pieces, (entries, plan) => {
        const { state, delivered } = deliverInPieces(entries, plan);
        expect(Math.max(0, ...delivered)).toBe(entries.at(-1)?.id ?? 0);
        expect(state).toEqual(deliverOnce(entries));
      }),
      fuzzParams(1_000),
    );
  });

  it('every event delivered twice in a row is the same as once', () => {
    fc.assert(
      fc.property(log, (entries) => {
        let twice = createConversationState();
        for (const { id, event } of entries) twice = reduce(reduce(twice, event, id), event, id);
        expect(twice).toEqual(deliverOnce(entries));
      }),
      fuzzParams(300),
    );
  });

  it('a fresh client from the snapshot at any point, then the live tail, shows what a client that saw everything shows', () => {
    fc.assert(
      fc.property(log, fc.nat(), (entries, at) => {
        const k = entries.length === 0 ? 0 : at % (entries.length + 1);
        const atK = deliverOnce(entries.slice(0, k));
        const fresh = deliverOnce(entries.slice(k), stateFromSessionMessages(messagesOf(atK)));
        expect(visible(fresh)).toEqual(visible(deliverOnce(entries)));
      }),
      fuzzParams(1_000),
    );
  });

  it('a snapshot of the current state, delivered again at its id, changes nothing visible', () => {
    fc.assert(
      fc.property(log, (entries) => {
        const state = deliverOnce(entries);
        const { lastEventId, ...body } = messagesOf(state);
        expect(visible(reduce(state, { type: 'snapshot', ...body }, lastEventId))).toEqual(visible(state));
      }),
      fuzzParams(300),
    );
  });
});
