import { EventType, type AGUIEvent } from '@ag-ui/core';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../events.js';
import { createConversationState, reduce } from '../reducer.js';
import { AgUiToAgentChat } from './from-ag-ui.js';

/*
 * The AG-UI -> agent-chat mapping, on event sequences as an AG-UI 1.0 agent
 * sends them (built with @ag-ui/core's types and EventType), and on the
 * conversation our reducer builds from what it maps.
 */
const threadId = 't1';
const runStarted = (runId: string): AGUIEvent => ({ type: EventType.RUN_STARTED, threadId, runId });
const runFinished = (runId: string): AGUIEvent => ({ type: EventType.RUN_FINISHED, threadId, runId, outcome: { type: 'success' } });

function mapAll(events: AGUIEvent[], mapper = new AgUiToAgentChat()): AgentEvent[] {
  return events.flatMap((event) => mapper.map(event));
}

function conversation(events: AgentEvent[]) {
  return events.reduce((state, event) => reduce(state, event), createConversationState('t1'));
}

describe('AgUiToAgentChat', () => {
  it('maps a run of text and reasoning to one turn with one assistant message', () => {
    const events = mapAll([
      runStarted('r1'),
      { type: EventType.REASONING_START, messageId: 'x' },
      { type: EventType.REASONING_MESSAGE_START, messageId: 'x', role: 'reasoning' },
      { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'x', delta: 'Hmm.' },
      { type: EventType.REASONING_MESSAGE_END, messageId: 'x' },
      { type: EventType.REASONING_END, messageId: 'x' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'm', role: 'assistant' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm', delta: 'Hello ' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm', delta: 'there' },
      { type: EventType.TEXT_MESSAGE_END, messageId: 'm' },
      runFinished('r1'),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'processing', 'thinking_chunk', 'thinking_end', 'assistant_chunk', 'assistant_chunk', 'assistant_stream_end', 'turn_complete',
    ]);
    const state = conversation(events);
    expect(state.status).toBe('idle');
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]!.parts).toEqual([
      { type: 'thinking', text: 'Hmm.', state: 'done' },
      { type: 'text', text: 'Hello there', state: 'done' },
    ]);
  });

  it('maps a tool call (start, args, end, result) and one sent as TOOL_CALL_CHUNKs', () => {
    const events = mapAll([
      runStarted('r1'),
      { type: EventType.TOOL_CALL_START, toolCallId: 'c1', toolCallName: 'add' },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'c1', delta: '{"a":2,' },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'c1', delta: '"b":3}' },
      { type: EventType.TOOL_CALL_END, toolCallId: 'c1' },
      { type: EventType.TOOL_CALL_RESULT, messageId: 'r', toolCallId: 'c1', content: '5' },
      { type: EventType.TOOL_CALL_CHUNK, toolCallId: 'c2', toolCallName: 'echo', delta: '{"text":' },
      { type: EventType.TOOL_CALL_CHUNK, delta: '"hi"}' },
      { type: EventType.TOOL_CALL_RESULT, messageId: 'r2', toolCallId: 'c2', content: 'hi' },
      runFinished('r1'),
    ]);
    const calls = events.filter((e) => e.type === 'tool_call');
    expect(calls).toMatchObject([
      { toolCallId: 'c1', name: 'add', input: { a: 2, b: 3 } },
      { toolCallId: 'c2', name: 'echo', input: { text: 'hi' } },
    ]);
    const parts = conversation(events).messages[0]!.parts;
    expect(parts).toMatchObject([
      { type: 'tool_call', toolCallId: 'c1', output: '5', state: 'done' },
      { type: 'tool_call', toolCallId: 'c2', output: 'hi', state: 'done' },
    ]);
  });

  it('shows an interrupt outcome as approval_required, and the resuming run continues the same turn', () => {
    const mapper = new AgUiToAgentChat();
    const first = mapAll(
      [
        runStarted('r1'),
        { type: EventType.TOOL_CALL_START, toolCallId: 'w', toolCallName: 'write_file' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'w', delta: '{"path":"a.txt"}' },
        { type: EventType.TOOL_CALL_END, toolCallId: 'w' },
        {
          type: EventType.RUN_FINISHED,
          threadId,
          runId: 'r1',
          outcome: { type: 'interrupt', interrupts: [{ id: 'i1', reason: 'tool_approval', toolCallId: 'w', message: 'Write a.txt?' }] },
        },
      ],
      mapper,
    );
    const approval = first.at(-1)!;
    expect(approval).toMatchObject({
      type: 'approval_required',
      tools: [{ toolCallId: 'w', name: 'write_file', input: { path: 'a.txt' }, reason: 'Write a.txt?' }],
    });
    expect(mapper.pendingInterrupts.map((i) => i.id)).toEqual(['i1']);
    expect(conversation(first).status).toBe('awaiting_approval');

    const second = mapAll(
      [
        runStarted('r2'),
        { type: EventType.TOOL_CALL_RESULT, messageId: 'res', toolCallId: 'w', content: 'ok' },
        runFinished('r2'),
      ],
      mapper,
    );
    const processing = second[0] as AgentEvent & { type: 'processing' };
    expect(processing).toMatchObject({ type: 'processing', turnId: (approval as { turnId: string }).turnId });
    expect(processing.userMessage).toBeUndefined();
    expect(mapper.pendingInterrupts).toEqual([]);
  });

  it('maps a cancelled outcome to interrupted, RUN_ERROR to error, and usage on RUN_FINISHED', () => {
    expect(mapAll([runStarted('r1'), { type: EventType.RUN_FINISHED, threadId, runId: 'r1', outcome: { type: 'cancelled' } }]).at(-1)).toMatchObject({
      type: 'interrupted',
    });
    expect(mapAll([runStarted('r1'), { type: EventType.RUN_ERROR, message: 'boom', code: 'bad' }]).at(-1)).toMatchObject({
      type: 'error',
      code: 'bad',
      message: 'boom',
      retryable: false,
    });
    const usage = mapAll([
      runStarted('r1'),
      { type: EventType.RUN_FINISHED, threadId, runId: 'r1', outcome: { type: 'success' }, usage: [{ inputTokens: 10, outputTokens: 4, cachedInputTokens: 3 }] },
    ]).find((e) => e.type === 'usage');
    expect(usage).toMatchObject({ usage: { inputTokens: 7, outputTokens: 4, cacheReadTokens: 3 } });
  });

  it('shows sub-agents of a tool call as research progress (tool_log), and keeps their text out of the answer', () => {
    const events = mapAll([
      runStarted('r1'),
      { type: EventType.TOOL_CALL_START, toolCallId: 'r', toolCallName: 'research' },
      { type: EventType.TOOL_CALL_END, toolCallId: 'r' },
      { type: EventType.SUBAGENT_STARTED, subagentRunId: 's1', name: 'Searcher', description: 'Looking', parentToolCallId: 'r' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'sm', role: 'assistant', subagentRunId: 's1' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'sm', delta: 'inner', subagentRunId: 's1' },
      { type: EventType.TEXT_MESSAGE_END, messageId: 'sm', subagentRunId: 's1' },
      { type: EventType.SUBAGENT_ERROR, subagentRunId: 's1', message: 'source down' },
      runFinished('r1'),
    ]);
    expect(events.filter((e) => e.type === 'assistant_chunk')).toEqual([]);
    const logs = events.filter((e) => e.type === 'tool_log');
    expect(logs.map((e) => e.agent.status)).toEqual(['running', 'error']);
    const part = conversation(events).messages[0]!.parts[0];
    expect(part).toMatchObject({ type: 'tool_call', agents: [{ agentId: 's1', label: 'Searcher', status: 'error', step: 'source down' }] });
  });

  it('takes up a waiting turn after a reload (restore)', () => {
    const mapper = new AgUiToAgentChat();
    mapper.restore({ turnId: 'turn-a', assistantMessageId: 'msg-a', interrupts: [{ id: 'i1', reason: 'tool_approval', toolCallId: 'w' }] });
    expect(mapper.pendingInterrupts.map((i) => i.id)).toEqual(['i1']);
    const [processing] = mapper.map(runStarted('r2'));
    expect(processing).toMatchObject({ type: 'processing', turnId: 'turn-a', assistantMessageId: 'msg-a' });
  });

  it('leaves out a CUSTOM agent-chat event whose fields do not match the protocol', () => {
    const events = mapAll([
      runStarted('r1'),
      { type: EventType.CUSTOM, name: 'agent-chat.title', value: { title: 'Tides' } },
      { type: EventType.CUSTOM, name: 'agent-chat.tool_state_change', value: { toolCallId: 7 } },
    ]);
    expect(events.map((e) => e.type)).toEqual(['processing', 'title']);
  });
});
