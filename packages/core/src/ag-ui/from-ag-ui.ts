import type { AGUIEvent, EventType as AgUiEventType, Interrupt, TokenUsage } from '@ag-ui/core';
import type { AgentEvent } from '../events.js';
import type { PendingApproval, ResearchAgent, UsageTotals } from '../messages.js';
import { decodeAgentEvent } from '../protocol-shapes.js';
import { addUsage } from '../usage.js';
import { CUSTOM_EVENT, RESEARCH_ACTIVITY_TYPE } from './ids.js';
import { agentChatMeta, argumentsToInput, contentToOutput, contentToText, fromAgUiMessages } from './messages.js';

/**
 * The AG-UI event types this mapper reads, as `@ag-ui/core`'s `EventType`
 * members: that enum is a runtime value, and core loads nothing of
 * `@ag-ui/core` at runtime (its types only).
 */
const EventType = Object.fromEntries(
  [
    'RUN_STARTED', 'RUN_FINISHED', 'RUN_ERROR', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END',
    'TEXT_MESSAGE_CHUNK', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_CHUNK',
    'REASONING_MESSAGE_END', 'REASONING_ENCRYPTED_VALUE', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END',
    'TOOL_CALL_CHUNK', 'TOOL_CALL_RESULT', 'CUSTOM', 'ACTIVITY_SNAPSHOT', 'SUBAGENT_STARTED', 'SUBAGENT_FINISHED',
    'SUBAGENT_ERROR', 'MESSAGES_SNAPSHOT',
  ].map((name) => [name, name]),
) as unknown as typeof AgUiEventType;

export interface AgUiToAgentChatOptions {
  /** Makes ids for turns and assistant messages of runs that do not carry ours (default: from the run id). */
  newId?: (kind: 'turn' | 'message') => string;
}

interface ToolCallState {
  name: string;
  args: string;
  subagentRunId?: string;
}

interface ForeignSubagent {
  toolCallId: string;
  agent: ResearchAgent;
}

type RunFinished = Extract<AGUIEvent, { type: AgUiEventType.RUN_FINISHED }>;

/**
 * Maps AG-UI 1.0 events (one thread's runs, in order, as they come on the
 * wire: `TEXT_MESSAGE_CHUNK` and `TOOL_CALL_CHUNK` included) to agent-chat
 * events, for `<agent-chat protocol="ag-ui">` (`AgUiChatClient`) and for the
 * server's `agUiAgent`. Stateful; no I/O. Loads nothing of `@ag-ui/core` at runtime.
 *
 * A run is a turn, except a run that resumes an interrupted one: it continues
 * that turn, as our turns continue after approvals. Everything the assistant
 * says in a turn (its text and reasoning messages, its tool calls and their
 * results) becomes the parts of one assistant message. An interrupt becomes
 * `approval_required` (one about a tool call names it; any other is shown as
 * an approval of its own, whose "input" is the answer its `responseSchema`
 * describes); the cancelled outcome is `interrupted`; `RUN_ERROR` is `error`.
 * Research sub-agents (`SUBAGENT_*` with a `parentToolCallId`, and our
 * `agent-chat.research` activities) become `tool_log` progress; the text and
 * tool calls of a sub-agent are its own and only advance its step.
 * State events, steps, RAW and unknown CUSTOM events have no counterpart.
 */
export class AgUiToAgentChat {
  readonly #newId: (kind: 'turn' | 'message') => string;
  #turnId: string | undefined;
  #assistantMessageId: string | undefined;
  #runId: string | undefined;
  /** The last run ended with interrupts: the next run resumes the turn. */
  #awaiting: Interrupt[] | undefined;
  #toolCalls = new Map<string, ToolCallState>();
  /** The tool call TOOL_CALL_CHUNK events are building. */
  #chunkedCall: string | undefined;
  #reasoningSignature = new Map<string, string>();
  #ignoredMessages = new Set<string>();
  #ours = new Set<string>();
  #foreign = new Map<string, ForeignSubagent>();
  #sawUsage = false;
  /** Set in one of our snapshot runs: whether a turn runs at the snapshot. */
  #snapshotProcessing: boolean | undefined;
  #cumulative: UsageTotals | undefined;

  constructor(options: AgUiToAgentChatOptions = {}) {
    let n = 0;
    this.#newId = options.newId ?? ((kind) => `${kind === 'turn' ? 'ag-ui-turn' : 'ag-ui-message'}-${++n}`);
  }

  /** The interrupts the last run ended with, while they wait for answers. */
  get pendingInterrupts(): readonly Interrupt[] {
    return this.#awaiting ?? [];
  }

  /** The turn in progress (or waiting for approvals), if any. */
  get turnId(): string | undefined {
    return this.#turnId;
  }

  /**
   * Gives up the turn waiting for answers (the user stopped it): the next
   * run starts a new turn. Returns the interrupts it waited on, which that
   * run should cancel in its `resume[]` (AG-UI wants every open interrupt answered).
   */
  abandonInterrupts(): Interrupt[] {
    const interrupts = this.#awaiting ?? [];
    this.#awaiting = undefined;
    this.#turnId = undefined;
    this.#assistantMessageId = undefined;
    return interrupts;
  }

  /**
   * Takes up a turn that waits for answers to `interrupts` (the state of a
   * mapper before a page reload), so that the run resuming it continues
   * that turn and its assistant message.
   */
  restore(turn: { turnId: string; assistantMessageId: string; interrupts: readonly Interrupt[] }): void {
    this.#turnId = turn.turnId;
    this.#assistantMessageId = turn.assistantMessageId;
    this.#awaiting = [...turn.interrupts];
  }

  /** The assistant message of the turn in progress, if any. */
  get assistantMessageId(): string | undefined {
    return this.#assistantMessageId;
  }

  /** The agent-chat events `event` stands for, in order. */
  map(event: AGUIEvent): AgentEvent[] {
    const out: AgentEvent[] = [];
    const sub = 'subagentRunId' in event ? event.subagentRunId : undefined;
    // A TOOL_CALL_CHUNK run ends with the first event of another type (AG-UI's chunk expansion).
    if (this.#chunkedCall !== undefined && event.type !== EventType.TOOL_CALL_CHUNK) this.#endChunkedCall(out);
    switch (event.type) {
      case EventType.RUN_STARTED: {
        const meta = agentChatMeta<{ turnId: string; assistantMessageId: string; snapshot: boolean; processing: boolean }>(event);
        this.#runId = event.runId;
        this.#sawUsage = false;
        if (meta.snapshot) {
          // Our snapshot run: the MESSAGES_SNAPSHOT that follows says it all.
          this.#snapshotProcessing = meta.processing === true;
          this.#turnId = meta.turnId;
          this.#assistantMessageId = meta.assistantMessageId;
          this.#awaiting = undefined;
          break;
        }
        this.#snapshotProcessing = undefined;
        const resumes = this.#awaiting !== undefined && this.#turnId !== undefined;
        this.#awaiting = undefined;
        if (!resumes) {
          this.#turnId = meta.turnId ?? this.#newId('turn');
          this.#assistantMessageId = meta.assistantMessageId ?? this.#newId('message');
        }
        const user = [...(event.input?.messages ?? [])].reverse().find((m) => m.role === 'user');
        const userMeta = agentChatMeta<{ createdAt: number }>(user);
        out.push({
          type: 'processing',
          turnId: this.#turnId!,
          assistantMessageId: this.#assistantMessageId!,
          ...(user && !resumes
            ? {
                userMessage: {
                  id: user.id,
                  text: contentToText(user.content),
                  ...(userMeta.createdAt !== undefined ? { createdAt: userMeta.createdAt } : {}),
                },
              }
            : {}),
        });
        break;
      }
      case EventType.TEXT_MESSAGE_START:
        if (sub !== undefined || (event.role ?? 'assistant') !== 'assistant') this.#ignoredMessages.add(event.messageId);
        break;
      case EventType.TEXT_MESSAGE_CONTENT:
        if (this.#ignoredMessages.has(event.messageId) || sub !== undefined || event.delta === '') break;
        out.push({ type: 'assistant_chunk', messageId: this.#messageId(), delta: event.delta });
        break;
      case EventType.TEXT_MESSAGE_END:
        if (this.#ignoredMessages.delete(event.messageId) || sub !== undefined) break;
        out.push({ type: 'assistant_stream_end', messageId: this.#messageId() });
        break;
      case EventType.TEXT_MESSAGE_CHUNK:
        if (sub === undefined && event.delta) out.push({ type: 'assistant_chunk', messageId: this.#messageId(), delta: event.delta });
        break;
      case EventType.REASONING_MESSAGE_START:
        if (sub !== undefined) this.#ignoredMessages.add(event.messageId);
        break;
      case EventType.REASONING_MESSAGE_CONTENT:
        if (this.#ignoredMessages.has(event.messageId) || event.delta === '') break;
        out.push({ type: 'thinking_chunk', messageId: this.#messageId(), delta: event.delta });
        break;
      case EventType.REASONING_MESSAGE_CHUNK:
        if (sub === undefined && event.delta) out.push({ type: 'thinking_chunk', messageId: this.#messageId(), delta: event.delta });
        break;
      case EventType.REASONING_ENCRYPTED_VALUE:
        if (event.subtype === 'message') this.#reasoningSignature.set(event.entityId, event.encryptedValue);
        break;
      case EventType.REASONING_MESSAGE_END: {
        if (this.#ignoredMessages.delete(event.messageId)) break;
        const signature = this.#reasoningSignature.get(event.messageId);
        this.#reasoningSignature.delete(event.messageId);
        out.push({ type: 'thinking_end', messageId: this.#messageId(), ...(signature !== undefined ? { signature } : {}) });
        break;
      }
      case EventType.TOOL_CALL_START:
        this.#toolCalls.set(event.toolCallId, { name: event.toolCallName, args: '', ...(sub !== undefined ? { subagentRunId: sub } : {}) });
        if (sub !== undefined) this.#subagentStep(out, sub, `Calling ${event.toolCallName}`, 1);
        break;
      case EventType.TOOL_CALL_ARGS: {
        const call = this.#toolCalls.get(event.toolCallId);
        if (call) call.args += event.delta;
        break;
      }
      case EventType.TOOL_CALL_END: {
        const call = this.#toolCalls.get(event.toolCallId);
        if (!call || call.subagentRunId !== undefined) break;
        out.push({ type: 'tool_call', messageId: this.#messageId(), toolCallId: event.toolCallId, name: call.name, input: argumentsToInput(call.args) });
        break;
      }
      case EventType.TOOL_CALL_CHUNK: {
        if (event.toolCallId !== undefined && event.toolCallId !== this.#chunkedCall) {
          if (this.#chunkedCall !== undefined) this.#endChunkedCall(out);
          this.#chunkedCall = event.toolCallId;
          this.#toolCalls.set(event.toolCallId, { name: event.toolCallName ?? '', args: '', ...(sub !== undefined ? { subagentRunId: sub } : {}) });
          if (sub !== undefined) this.#subagentStep(out, sub, `Calling ${event.toolCallName ?? 'a tool'}`, 1);
        }
        const call = this.#chunkedCall !== undefined ? this.#toolCalls.get(this.#chunkedCall) : undefined;
        if (call && event.delta) call.args += event.delta;
        break;
      }
      case EventType.TOOL_CALL_RESULT: {
        if (sub !== undefined || this.#toolCalls.get(event.toolCallId)?.subagentRunId !== undefined) break;
        const meta = agentChatMeta<{ state: string; feedback: string; json: boolean; isError: boolean }>(event);
        if (meta.state === 'rejected') {
          out.push({ type: 'tool_state_change', toolCallId: event.toolCallId, state: 'rejected', ...(meta.feedback !== undefined ? { feedback: meta.feedback } : {}) });
        } else {
          out.push({ type: 'tool_output', toolCallId: event.toolCallId, output: contentToOutput(event.content, meta.json), isError: meta.isError ?? false });
        }
        break;
      }
      case EventType.CUSTOM:
        this.#custom(out, event.name, event.value);
        break;
      case EventType.ACTIVITY_SNAPSHOT: {
        if (event.activityType !== RESEARCH_ACTIVITY_TYPE) break;
        const { toolCallId, ...agent } = event.content as { toolCallId: string } & ResearchAgent;
        const { steps: _steps, ...progress } = agent;
        out.push({ type: 'tool_log', toolCallId, agent: progress });
        break;
      }
      case EventType.SUBAGENT_STARTED: {
        if (agentChatMeta<{ agentId: string }>(event).agentId !== undefined) {
          this.#ours.add(event.subagentRunId);
          break;
        }
        if (event.parentToolCallId === undefined) break;
        const agent: ResearchAgent = { agentId: event.subagentRunId, label: event.name, status: 'running', steps: [], toolCount: 0, tokens: 0, elapsedMs: 0 };
        if (event.description !== undefined) agent.step = event.description;
        this.#foreign.set(event.subagentRunId, { toolCallId: event.parentToolCallId, agent });
        this.#pushForeign(out, event.subagentRunId);
        break;
      }
      case EventType.SUBAGENT_FINISHED:
      case EventType.SUBAGENT_ERROR: {
        const foreign = this.#foreign.get(event.subagentRunId);
        if (!foreign) break;
        foreign.agent.status = event.type === EventType.SUBAGENT_ERROR ? 'error' : 'done';
        if (event.type === EventType.SUBAGENT_ERROR) foreign.agent.step = event.message;
        this.#pushForeign(out, event.subagentRunId);
        break;
      }
      case EventType.MESSAGES_SNAPSHOT: {
        const meta = agentChatMeta<{ title: string; usage: UsageTotals }>(event);
        out.push({
          ...(typeof meta.title === 'string' ? { title: meta.title } : {}),
          ...(meta.usage && typeof meta.usage === 'object' ? { usage: meta.usage } : {}),
          type: 'snapshot',
          messages: fromAgUiMessages(event.messages),
          pendingApprovals: [],
          processing: this.#snapshotProcessing ?? this.#runId !== undefined,
          ...((this.#snapshotProcessing ?? this.#runId !== undefined) && this.#turnId !== undefined ? { turnId: this.#turnId } : {}),
        });
        break;
      }
      case EventType.RUN_FINISHED:
        this.#runFinished(out, event);
        break;
      case EventType.RUN_ERROR: {
        const meta = agentChatMeta<{ shutdown: boolean; reason: string; retryable: boolean }>(event);
        this.#runUsage(out, event.usage);
        if (meta.shutdown) {
          out.push({ type: 'shutdown', ...(meta.reason !== undefined ? { reason: meta.reason } : {}) });
        } else {
          out.push({
            type: 'error',
            code: event.code ?? 'agent_error',
            message: event.message,
            retryable: meta.retryable ?? false,
            ...(this.#turnId !== undefined ? { turnId: this.#turnId } : {}),
          });
        }
        this.#endRun();
        this.#awaiting = undefined;
        this.#turnId = undefined;
        break;
      }
      default:
        break;
    }
    return out;
  }

  /** Ends the tool call that TOOL_CALL_CHUNK events were building, as TOOL_CALL_END does. */
  #endChunkedCall(out: AgentEvent[]): void {
    const toolCallId = this.#chunkedCall!;
    this.#chunkedCall = undefined;
    const call = this.#toolCalls.get(toolCallId);
    if (!call || call.subagentRunId !== undefined) return;
    out.push({ type: 'tool_call', messageId: this.#messageId(), toolCallId, name: call.name, input: argumentsToInput(call.args) });
  }

  #messageId(): string {
    if (this.#assistantMessageId === undefined) this.#assistantMessageId = this.#newId('message');
    return this.#assistantMessageId;
  }

  #custom(out: AgentEvent[], name: string, value: unknown): void {
    const fields = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    switch (name) {
      case CUSTOM_EVENT.title:
        if (typeof fields.title === 'string') out.push({ type: 'title', title: fields.title });
        break;
      case CUSTOM_EVENT.usage:
        this.#sawUsage = true;
        if (fields.cumulative && typeof fields.cumulative === 'object') this.#cumulative = fields.cumulative as UsageTotals;
        this.#pushParsed(out, { ...fields, type: 'usage' });
        break;
      case CUSTOM_EVENT.toolStateChange:
        this.#pushParsed(out, { ...fields, type: 'tool_state_change' });
        break;
      case CUSTOM_EVENT.compacted:
        this.#pushParsed(out, { ...fields, type: 'compacted' });
        break;
      default:
        break;
    }
  }

  /** A remote agent's CUSTOM payload, checked against our protocol (`decodeAgentEvent`): one that does not match is left out. */
  #pushParsed(out: AgentEvent[], value: Record<string, unknown>): void {
    try {
      const event = decodeAgentEvent(value);
      if (event) out.push(event);
    } catch {
      // Not ours after all, or from an incompatible version: nothing to show.
    }
  }

  #subagentStep(out: AgentEvent[], subagentRunId: string, step: string, tools: number): void {
    const foreign = this.#foreign.get(subagentRunId);
    if (!foreign) return;
    foreign.agent.step = step;
    foreign.agent.toolCount += tools;
    this.#pushForeign(out, subagentRunId);
  }

  #pushForeign(out: AgentEvent[], subagentRunId: string): void {
    const { toolCallId, agent } = this.#foreign.get(subagentRunId)!;
    const { steps: _steps, ...progress } = agent;
    out.push({ type: 'tool_log', toolCallId, agent: { ...progress } });
  }

  /** Usage on `RUN_FINISHED`/`RUN_ERROR`, unless our own `agent-chat.usage` events already told it. */
  #runUsage(out: AgentEvent[], usage: TokenUsage[] | undefined): void {
    if (this.#sawUsage || !usage || usage.length === 0) return;
    for (const entry of usage) {
      const totals = fromTokenUsage(entry);
      this.#cumulative = addUsage(this.#cumulative, totals);
      out.push({ type: 'usage', scope: 'step', ...(entry.model ? { model: entry.model } : {}), usage: totals, cumulative: this.#cumulative });
    }
  }

  #runFinished(out: AgentEvent[], event: RunFinished): void {
    const outcome = event.outcome ?? { type: 'success' as const };
    const turnId = this.#turnId ?? this.#newId('turn');
    this.#runUsage(out, event.usage);
    if (outcome.type === 'interrupt') {
      out.push({
        type: 'approval_required',
        turnId,
        messageId: this.#messageId(),
        tools: outcome.interrupts.map((interrupt) => this.#approval(interrupt)),
      });
      this.#endRun();
      this.#awaiting = outcome.interrupts;
      return;
    }
    if (outcome.type === 'cancelled') {
      out.push({ type: 'interrupted', turnId });
    } else if (this.#snapshotProcessing !== false) {
      out.push({ type: 'turn_complete', turnId, stopReason: agentChatMeta<{ stopReason: string }>(event).stopReason ?? 'end_turn' });
    }
    this.#endRun();
    this.#turnId = undefined;
  }

  #approval(interrupt: Interrupt): PendingApproval {
    const meta = agentChatMeta<{ name: string; input: unknown; inputSchema: Record<string, unknown> }>(interrupt);
    const call = interrupt.toolCallId !== undefined ? this.#toolCalls.get(interrupt.toolCallId) : undefined;
    const approval: PendingApproval = {
      toolCallId: interrupt.toolCallId ?? interrupt.id,
      name: meta.name ?? call?.name ?? interrupt.reason,
      input: meta.input ?? (call ? argumentsToInput(call.args) : {}),
    };
    const inputSchema = meta.inputSchema ?? (call ? undefined : interrupt.responseSchema);
    if (inputSchema !== undefined) approval.inputSchema = inputSchema;
    if (interrupt.message !== undefined) approval.reason = interrupt.message;
    return approval;
  }

  #endRun(): void {
    this.#runId = undefined;
    this.#snapshotProcessing = undefined;
    this.#ignoredMessages.clear();
    this.#reasoningSignature.clear();
    this.#ours.clear();
    this.#foreign.clear();
  }
}

/** An AG-UI usage entry in our accounting (input tokens without the cache's). */
export function fromTokenUsage(usage: TokenUsage): UsageTotals {
  const cacheReadTokens = usage.cachedInputTokens ?? 0;
  const cacheWriteTokens = usage.cacheWriteInputTokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage.inputTokens ?? 0) - cacheReadTokens - cacheWriteTokens),
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd: 0,
  };
}
