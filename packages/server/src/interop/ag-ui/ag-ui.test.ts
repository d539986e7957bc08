import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConversationState, reduce, type AgentEvent, type ConversationState } from '@agent-chat/core';
import { parseAgentEvent } from '@agent-chat/core/schemas';
import { AbstractAgent, verifyEvents, type BaseEvent, type Message, type RunAgentInput } from '@ag-ui/client';
import { EventType, type AGUIEvent } from '@ag-ui/core';
import { EventSchema } from '@ag-ui/core/schemas';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgUiToAgentChat } from './from-ag-ui.js';
import { fromAgUiMessages, toAgUiMessages } from './messages.js';
import { approvalsFromResume, resumeFromApprovals } from './resume.js';
import { AgentChatToAgUi } from './to-ag-ui.js';

const coreFixtures = fileURLToPath(new URL('../../../../core/src/__fixtures__/', import.meta.url));
const widgetScenarios = fileURLToPath(new URL('../../../../widget/src/__fixtures__/scenarios.ts', import.meta.url));

/** Recorded streams: every JSON fixture of core (ids deduplicated, as a client applies them) and the widget's scenarios. */
async function recordedStreams(): Promise<Array<[string, AgentEvent[]]>> {
  const streams: Array<[string, AgentEvent[]]> = [];
  for (const file of readdirSync(coreFixtures).filter((f) => f.endsWith('.json')).sort()) {
    const frames = JSON.parse(readFileSync(coreFixtures + file, 'utf8')) as Array<{ id?: number; event: AgentEvent }>;
    let last = 0;
    const events: AgentEvent[] = [];
    for (const frame of frames) {
      if (frame.id !== undefined && frame.id <= last) continue;
      if (frame.id !== undefined) last = frame.id;
      events.push(parseAgentEvent(frame.event)!);
    }
    streams.push([file, events]);
  }
  // A variable specifier: the widget's sources are not part of this package's program.
  const scenarios = (await import(/* @vite-ignore */ widgetScenarios as string)) as Record<string, unknown>;
  const pick = (name: string) => (scenarios[name] as AgentEvent[]).map((e) => parseAgentEvent(e)!);
  streams.push(
    ['widget tourComplete', pick('tourComplete')],
    ['widget toolError', pick('toolError')],
    ['widget manyApprovals + resumed', [...pick('manyApprovals'), ...pick('manyApprovalsResumed')]],
    ['widget editedApproval', pick('editedApproval')],
    ['widget failedTurn', pick('failedTurn')],
    ['widget rightToLeft', pick('rightToLeft')],
    ['widget longHistory snapshot', [parseAgentEvent((scenarios.longHistory as (n: number) => AgentEvent)(12))!]],
  );
  return streams;
}

function toAgUi(events: readonly AgentEvent[], threadId = 's1'): AGUIEvent[] {
  const mapper = new AgentChatToAgUi({ threadId });
  return events.flatMap((e) => mapper.map(e));
}

function stateOf(events: readonly AgentEvent[]): ConversationState {
  return events.reduce((state, event, i) => reduce(state, event, i + 1), createConversationState('s1'));
}

/** An AG-UI agent that replays a recorded event stream: runs it through `@ag-ui/client`'s whole pipeline. */
class ReplayAgent extends AbstractAgent {
  constructor(private readonly events: readonly AGUIEvent[]) {
    super({ threadId: 's1' });
  }
  override run(_input: RunAgentInput): Observable<BaseEvent> {
    return from(this.events as BaseEvent[]);
  }
}

const streams = await recordedStreams();

describe('agent-chat -> AG-UI', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(streams)('%s: every event matches the AG-UI 1.0 schema and verifyEvents accepts the stream', async (_name, events) => {
    const mapped = toAgUi(events);
    expect(mapped[0]?.type).toBe(EventType.RUN_STARTED);
    for (const event of mapped) expect(() => EventSchema.parse(event)).not.toThrow();
    const verified = await lastValueFrom(from(mapped as BaseEvent[]).pipe(verifyEvents(), toArray()));
    expect(verified).toHaveLength(mapped.length);
    // Terminal streams end with a finished run: nothing left open.
    const last = events.at(-1)!;
    if (['turn_complete', 'interrupted', 'approval_required'].includes(last.type)) expect(mapped.at(-1)?.type).toBe(EventType.RUN_FINISHED);
  });

  it.each(streams)('%s: HttpAgent\'s pipeline (enforce, verify, apply) takes it without a warning, and builds our snapshot\'s messages', async (_name, events) => {
    const mapped = toAgUi(events);
    const agent = new ReplayAgent(mapped);
    await agent.runAgent();
    expect(warnings.filter((w) => w.includes('ag-ui') || w.includes('No message') || w.includes('TEXT_MESSAGE'))).toEqual([]);
    const expected = toAgUiMessages(stateOf(events).messages).messages;
    // What the client assembled from the live events is the conversation we would send as a snapshot
    // (metadata aside: live events carry ours on the events, a snapshot on the messages).
    expect(comparable(agent.messages)).toEqual(comparable(expected));
  });

  it('maps a turn with text, thinking and a tool call to the AG-UI events, in order', () => {
    const mapped = toAgUi(streams.find(([name]) => name === 'tools-approval-edited.json')![1]);
    expect(mapped.map((e) => e.type)).toEqual([
      'RUN_STARTED',
      'REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_CONTENT',
      'REASONING_ENCRYPTED_VALUE', 'REASONING_MESSAGE_END', 'REASONING_END',
      'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END',
      'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT',
      'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END',
      'RUN_FINISHED',
      'RUN_STARTED', 'CUSTOM', 'CUSTOM', 'TOOL_CALL_RESULT',
      'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END',
      'RUN_FINISHED',
    ]);
    const interrupt = mapped[18] as Extract<AGUIEvent, { type: EventType.RUN_FINISHED }>;
    expect(interrupt.outcome).toMatchObject({
      type: 'interrupt',
      interrupts: [{ id: 'c2', toolCallId: 'c2', reason: 'tool_approval', message: 'Writes a file' }],
    });
    expect(mapped[0]).toMatchObject({ runId: 't1', input: { messages: [{ id: 'u1', role: 'user', content: 'Write a note' }] } });
    expect(mapped[19]).toMatchObject({ runId: 't1:2' });
    // The text after the tool calls is a new assistant message, so it reads after them.
    expect(mapped[23]).toMatchObject({ messageId: 'a1:2' });
  });

  it('a stop is RUN_FINISHED with the cancelled outcome; a failure RUN_ERROR; usage travels on RUN_FINISHED', () => {
    const byName = (name: string) => toAgUi(streams.find(([n]) => n === name)![1]);
    expect(byName('interrupted.json').at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'cancelled' } });
    expect(byName('error.json').find((e) => e.type === EventType.RUN_ERROR)).toMatchObject({ code: 'overloaded', message: 'The model is overloaded, try again' });
    const finished = byName('usage.json').find((e) => e.type === EventType.RUN_FINISHED);
    // Two steps of one model: inputs include the cache's tokens, in AG-UI's accounting.
    expect(finished).toMatchObject({
      usage: [{ model: 'claude-sonnet-4-5', inputTokens: 310, outputTokens: 50, totalTokens: 360, cachedInputTokens: 50, cacheWriteInputTokens: 10 }],
    });
  });

  it('research sub-agents are SUBAGENT_* events with their progress as activities', () => {
    const mapped = toAgUi(streams.find(([name]) => name === 'research.json')![1]);
    const started = mapped.filter((e) => e.type === EventType.SUBAGENT_STARTED);
    expect(started).toEqual([
      expect.objectContaining({ subagentRunId: 'c1:r1', name: 'Docs', parentToolCallId: 'c1', parentMessageId: 'a1' }),
      expect.objectContaining({ subagentRunId: 'c1:r2', name: 'Code', parentToolCallId: 'c1' }),
    ]);
    expect(mapped.filter((e) => e.type === EventType.SUBAGENT_FINISHED)).toHaveLength(2);
    expect(mapped.find((e) => e.type === EventType.ACTIVITY_SNAPSHOT)).toMatchObject({
      activityType: 'agent-chat.research',
      subagentRunId: 'c1:r1',
      content: { toolCallId: 'c1', agentId: 'r1', label: 'Docs', step: 'Reading docs/setup.md' },
    });
  });

  it('leaves the user message out of RUN_STARTED when told the client has it', () => {
    const mapper = new AgentChatToAgUi({ threadId: 's1', runId: 'client-run', echoUserMessage: false });
    const [started] = mapper.map({ type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'Hi' } });
    expect(started).toEqual({ type: 'RUN_STARTED', threadId: 's1', runId: 'client-run', metadata: { 'agent-chat': { turnId: 't1', assistantMessageId: 'a1' } } });
  });
});

describe('AG-UI -> agent-chat', () => {
  it.each(streams)('%s: the round trip through AG-UI builds the same conversation', (_name, events) => {
    const reverse = new AgUiToAgentChat();
    const back = toAgUi(events).flatMap((e) => reverse.map(e));
    const original = stateOf(events);
    const roundTrip = stateOf(back);
    expect(roundTrip.messages).toEqual(original.messages);
    expect(roundTrip.pendingApprovals).toEqual(original.pendingApprovals);
    expect(roundTrip.status).toBe(original.status);
    expect(roundTrip.title).toBe(original.title);
    expect(roundTrip.usage).toEqual(original.usage);
    expect(roundTrip.error).toEqual(original.error);
  });

  it('maps a foreign agent\'s run: chunks, a tool call, sub-agents with their own tool calls, an interrupt without a tool', () => {
    const reverse = new AgUiToAgentChat({ newId: (kind) => (kind === 'turn' ? 'T' : 'M') });
    const events: AGUIEvent[] = [
      { type: EventType.RUN_STARTED, threadId: 'th', runId: 'r1', input: { threadId: 'th', runId: 'r1', messages: [{ id: 'm0', role: 'user', content: 'Go' }], tools: [], context: [] } },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'x1', role: 'assistant' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'x1', delta: 'Looking' },
      { type: EventType.TEXT_MESSAGE_END, messageId: 'x1' },
      { type: EventType.TOOL_CALL_START, toolCallId: 'tc', toolCallName: 'search', parentMessageId: 'x1' },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc', delta: '{"q":' },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc', delta: '"x"}' },
      { type: EventType.TOOL_CALL_END, toolCallId: 'tc' },
      { type: EventType.SUBAGENT_STARTED, subagentRunId: 'sa', name: 'Researcher', parentToolCallId: 'tc' },
      { type: EventType.TOOL_CALL_START, toolCallId: 'inner', toolCallName: 'fetch', subagentRunId: 'sa' },
      { type: EventType.TOOL_CALL_END, toolCallId: 'inner', subagentRunId: 'sa' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'sx', subagentRunId: 'sa' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'sx', delta: 'inner text', subagentRunId: 'sa' },
      { type: EventType.TEXT_MESSAGE_END, messageId: 'sx', subagentRunId: 'sa' },
      { type: EventType.SUBAGENT_FINISHED, subagentRunId: 'sa' },
      { type: EventType.TOOL_CALL_RESULT, messageId: 'res', toolCallId: 'tc', content: 'found' },
      { type: EventType.RUN_FINISHED, threadId: 'th', runId: 'r1', outcome: { type: 'interrupt', interrupts: [{ id: 'confirm', reason: 'confirm_budget', message: 'Spend $5?', responseSchema: { type: 'object' } }] }, usage: [{ model: 'm', inputTokens: 10, outputTokens: 5 }] },
    ];
    const out = events.flatMap((e) => reverse.map(e));
    expect(out).toEqual([
      { type: 'processing', turnId: 'T', assistantMessageId: 'M', userMessage: { id: 'm0', text: 'Go' } },
      { type: 'assistant_chunk', messageId: 'M', delta: 'Looking' },
      { type: 'assistant_stream_end', messageId: 'M' },
      { type: 'tool_call', messageId: 'M', toolCallId: 'tc', name: 'search', input: { q: 'x' } },
      { type: 'tool_log', toolCallId: 'tc', agent: { agentId: 'sa', label: 'Researcher', status: 'running', toolCount: 0, tokens: 0, elapsedMs: 0 } },
      { type: 'tool_log', toolCallId: 'tc', agent: { agentId: 'sa', label: 'Researcher', status: 'running', step: 'Calling fetch', toolCount: 1, tokens: 0, elapsedMs: 0 } },
      { type: 'tool_log', toolCallId: 'tc', agent: { agentId: 'sa', label: 'Researcher', status: 'done', step: 'Calling fetch', toolCount: 1, tokens: 0, elapsedMs: 0 } },
      { type: 'tool_output', toolCallId: 'tc', output: 'found', isError: false },
      { type: 'usage', scope: 'step', model: 'm', usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 }, cumulative: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 } },
      { type: 'approval_required', turnId: 'T', messageId: 'M', tools: [{ toolCallId: 'confirm', name: 'confirm_budget', input: {}, inputSchema: { type: 'object' }, reason: 'Spend $5?' }] },
    ]);
    expect(reverse.pendingInterrupts.map((i) => i.id)).toEqual(['confirm']);
    // The resumed run continues the same turn.
    expect(reverse.map({ type: EventType.RUN_STARTED, threadId: 'th', runId: 'r2' })).toEqual([{ type: 'processing', turnId: 'T', assistantMessageId: 'M' }]);
    expect(reverse.map({ type: EventType.RUN_FINISHED, threadId: 'th', runId: 'r2', outcome: { type: 'cancelled' } })).toEqual([{ type: 'interrupted', turnId: 'T' }]);
  });
});

describe('approvals through resume[]', () => {
  it('resume entries are decisions, edited arguments included, and back', () => {
    const interrupts = [
      { id: 'c1', reason: 'tool_approval', toolCallId: 'c1' },
      { id: 'c2', reason: 'tool_approval', toolCallId: 'c2' },
      { id: 'c3', reason: 'tool_approval', toolCallId: 'c3' },
      { id: 'c4', reason: 'tool_approval', toolCallId: 'c4' },
    ];
    const decisions = [
      { toolCallId: 'c1', decision: 'approve' as const, input: { path: 'edited.md' } },
      { toolCallId: 'c2', decision: 'reject' as const, feedback: 'No' },
      { toolCallId: 'c3', decision: 'approve' as const },
    ];
    const resume = resumeFromApprovals(interrupts, decisions);
    expect(resume).toEqual([
      { interruptId: 'c1', status: 'resolved', payload: { approved: true, input: { path: 'edited.md' } } },
      { interruptId: 'c2', status: 'resolved', payload: { approved: false, feedback: 'No' } },
      { interruptId: 'c3', status: 'resolved', payload: { approved: true } },
      { interruptId: 'c4', status: 'cancelled' },
    ]);
    expect(approvalsFromResume(resume)).toEqual([...decisions, { toolCallId: 'c4', decision: 'reject' }]);
    // A bare `resolved` approves; a payload that is not an object is no payload.
    expect(approvalsFromResume([{ interruptId: 'x', status: 'resolved' }, { interruptId: 'y', status: 'resolved', payload: 'yes' }])).toEqual([
      { toolCallId: 'x', decision: 'approve' },
      { toolCallId: 'y', decision: 'approve' },
    ]);
  });
});

describe('conversation snapshots', () => {
  it('toAgUiMessages and fromAgUiMessages are inverse on recorded conversations', () => {
    for (const [, events] of streams) {
      const { messages } = stateOf(events);
      expect(fromAgUiMessages(toAgUiMessages(messages).messages)).toEqual(
        messages.map((m) => ({
          ...m,
          parts: m.parts.map((p) => (p.type === 'tool_call' && p.agents ? { ...p, agents: p.agents.map((a) => ({ ...a, steps: a.steps })) } : p)),
        })),
      );
    }
  });
});

/** Messages without metadata and activities, for comparing what the client built with a snapshot. */
function comparable(messages: readonly Message[]): unknown[] {
  return messages
    .filter((m) => m.role !== 'activity' && !(m.role === 'assistant' && !m.content && !m.toolCalls?.length))
    .map((m) => {
      const { metadata: _metadata, error: _error, ...rest } = m as Message & { metadata?: unknown; error?: string };
      if (rest.role === 'assistant' && rest.toolCalls) {
        return { ...rest, toolCalls: rest.toolCalls.map(({ metadata: _m, ...call }) => call) };
      }
      if (rest.role === 'assistant' && rest.content === '') return { ...rest, content: undefined };
      return rest;
    });
}
