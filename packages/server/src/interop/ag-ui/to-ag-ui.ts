import { addUsage, type AgentEvent, type ChatMessage, type EventOf, type PendingApproval, type UsageTotals } from '@agent-chat/core';
import { EventType, type AGUIEvent, type Interrupt, type Message, type RunAgentInput, type TokenUsage } from '@ag-ui/core';
import {
  AssistantLayout,
  CUSTOM_EVENT,
  RESEARCH_ACTIVITY_TYPE,
  TOOL_APPROVAL_REASON,
  researchActivityId,
  subagentRunId,
  toolResultMessageId,
} from '@agent-chat/core/ag-ui';
import { rejectionText } from '../../agents/tool-loop.js';
import { inputToArguments, outputToContent, toAgUiMessages, withMeta } from './messages.js';

export interface AgentChatToAgUiOptions {
  /** The AG-UI thread: our session id. */
  threadId: string;
  /**
   * The id of the first run this mapper opens (an AG-UI endpoint passes
   * `RunAgentInput.runId`). Later runs get `<turnId>` for a turn's first run
   * and `<turnId>:<n>` for the runs that resume it after approvals.
   */
  runId?: string;
  /**
   * Whether a turn's user message is echoed in `RUN_STARTED.input.messages`
   * (default true). An endpoint answering the client that sent the message
   * turns it off for that run: the client has it under its own id.
   */
  echoUserMessage?: boolean;
  /**
   * The conversation before the first event this mapper sees, when the client
   * has it already (a request that resumes a turn after approvals): the
   * mapper lays out the rest of an answer after it, as it would have in one stream.
   */
  messages?: readonly ChatMessage[];
}

interface Subagent {
  toolCallId: string;
  agentId: string;
}

/**
 * Maps agent-chat events (one session's stream, in order) to AG-UI 1.0 events
 * (https://docs.ag-ui.com/spec/1.0). Stateful and pure: `map(event)` returns the
 * AG-UI events that event stands for, possibly none; it does no I/O and keeps no timer.
 *
 * The stream it produces is well formed for `@ag-ui/client`'s `verifyEvents`:
 * `RUN_STARTED` first, one run at a time, every START closed before the run's
 * `RUN_FINISHED`. A turn is one run, or several when it stops for approvals:
 * `approval_required` ends a run with the interrupt outcome, whose interrupts
 * `RunAgentInput.resume[]` answers (see `approvalsFromResume`), and the resumed
 * turn is a new run. A stop (`interrupted`) ends the run with the cancelled
 * outcome; `error` is `RUN_ERROR`. What AG-UI has no event for travels in
 * `CUSTOM` events named `agent-chat.*` and in `metadata["agent-chat"]`, so
 * `AgUiToAgentChat` gets back the same conversation (docs/interop.md lists every mapping).
 */
export class AgentChatToAgUi {
  readonly #threadId: string;
  readonly #echoUserMessage: boolean;
  #firstRunId: string | undefined;
  #runId: string | undefined;
  #runsOfTurn = new Map<string, number>();
  #turnId: string | undefined;
  #assistantMessageId: string | undefined;
  #layouts = new Map<string, AssistantLayout>();
  /** Tool calls seen: the assistant message (AG-UI) that holds each. */
  #toolCalls = new Map<string, string>();
  #openText: string | undefined;
  #openReasoning: string | undefined;
  #subagents = new Map<string, Subagent>();
  #closedSubagents = new Set<string>();
  /** Step usage of the current run, per model. */
  #runUsage = new Map<string, UsageTotals>();
  #turnUsage: { model?: string; usage: UsageTotals } | undefined;
  /** Events that came while no run was open (a title after the turn's end), sent when the next run opens. */
  #held: AGUIEvent[] = [];

  constructor(options: AgentChatToAgUiOptions) {
    this.#threadId = options.threadId;
    this.#firstRunId = options.runId;
    this.#echoUserMessage = options.echoUserMessage ?? true;
    if (options.messages) this.#learn(options.messages);
  }

  /** Whether a run is open (between its `RUN_STARTED` and its end). */
  get runOpen(): boolean {
    return this.#runId !== undefined;
  }

  /**
   * Renames the open run: for a stream that resumes a run part-way, after the
   * events before the cursor were mapped (and their output dropped) to restore
   * this mapper's state, the run keeps the id its client knows.
   */
  continueRun(runId: string): void {
    if (this.#runId !== undefined) this.#runId = runId;
  }

  /** The AG-UI events `event` stands for, in order. */
  map(event: AgentEvent): AGUIEvent[] {
    const out: AGUIEvent[] = [];
    switch (event.type) {
      case 'ready':
        break;
      case 'processing':
        this.#turnId = event.turnId;
        this.#assistantMessageId = event.assistantMessageId;
        if (!this.#layouts.has(event.assistantMessageId)) {
          this.#layouts.set(event.assistantMessageId, new AssistantLayout(event.assistantMessageId));
        }
        this.#ensureRun(out, event.userMessage);
        break;
      case 'assistant_chunk': {
        this.#ensureRun(out);
        this.#closeReasoning(out);
        if (this.#openText === undefined) {
          const { id } = this.#layout(event.messageId).text();
          this.#openText = id;
          out.push({ type: EventType.TEXT_MESSAGE_START, messageId: id, role: 'assistant' });
        }
        out.push({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: this.#openText, delta: event.delta });
        break;
      }
      case 'assistant_stream_end':
        this.#closeText(out);
        break;
      case 'thinking_chunk': {
        this.#ensureRun(out);
        this.#closeText(out);
        if (this.#openReasoning === undefined) {
          const id = this.#layout(event.messageId).reasoning();
          this.#openReasoning = id;
          out.push({ type: EventType.REASONING_START, messageId: id });
          out.push({ type: EventType.REASONING_MESSAGE_START, messageId: id, role: 'reasoning' });
        }
        out.push({ type: EventType.REASONING_MESSAGE_CONTENT, messageId: this.#openReasoning, delta: event.delta });
        break;
      }
      case 'thinking_end':
        this.#closeReasoning(out, event.signature);
        break;
      case 'tool_call':
        this.#ensureRun(out);
        this.#toolCall(out, event.messageId, event.toolCallId, event.name, event.input);
        break;
      case 'tool_output': {
        this.#ensureRun(out);
        this.#finishSubagentsOf(out, event.toolCallId);
        const { content, json } = outputToContent(event.output);
        out.push({
          type: EventType.TOOL_CALL_RESULT,
          messageId: toolResultMessageId(event.toolCallId),
          toolCallId: event.toolCallId,
          role: 'tool',
          content,
          ...withMeta({ json: json || undefined, isError: event.isError || undefined }),
        });
        break;
      }
      case 'approval_required': {
        this.#turnId = event.turnId;
        this.#ensureRun(out);
        this.#closeText(out);
        this.#closeReasoning(out);
        for (const tool of event.tools) {
          if (!this.#toolCalls.has(tool.toolCallId)) this.#toolCall(out, event.messageId, tool.toolCallId, tool.name, tool.input);
        }
        this.#closeSubagents(out, 'suspended');
        this.#finishRun(out, { type: 'interrupt', interrupts: event.tools.map(approvalInterrupt) });
        break;
      }
      case 'tool_state_change':
        this.#ensureRun(out);
        if (event.state === 'rejected') {
          // A call without a result reads, at a successful RUN_FINISHED, as one the client must answer.
          out.push({
            type: EventType.TOOL_CALL_RESULT,
            messageId: toolResultMessageId(event.toolCallId),
            toolCallId: event.toolCallId,
            role: 'tool',
            content: rejectionText(event.feedback),
            ...withMeta({ state: 'rejected', feedback: event.feedback }),
          });
        } else {
          const { type: _type, ...value } = event;
          out.push({ type: EventType.CUSTOM, name: CUSTOM_EVENT.toolStateChange, value });
        }
        break;
      case 'tool_log':
        this.#ensureRun(out);
        this.#toolLog(out, event);
        break;
      case 'usage': {
        if (this.runOpen) {
          if (event.scope === 'step') {
            const model = event.model ?? '';
            this.#runUsage.set(model, addUsage(this.#runUsage.get(model), event.usage));
          } else {
            this.#turnUsage = { model: event.model, usage: event.usage };
          }
        }
        const { type: _type, ...value } = event;
        this.#emitOrHold(out, { type: EventType.CUSTOM, name: CUSTOM_EVENT.usage, value });
        break;
      }
      case 'title':
        this.#emitOrHold(out, { type: EventType.CUSTOM, name: CUSTOM_EVENT.title, value: { title: event.title } });
        break;
      case 'compacted': {
        const { type: _type, messages, ...value } = event;
        this.#emitOrHold(out, { type: EventType.CUSTOM, name: CUSTOM_EVENT.compacted, value });
        if (messages) this.#emitOrHold(out, this.#messagesSnapshot(messages));
        break;
      }
      case 'snapshot':
        this.#snapshot(out, event);
        break;
      case 'turn_complete':
        this.#turnId = event.turnId;
        this.#ensureRun(out);
        this.#closeAll(out, 'success');
        this.#finishRun(out, { type: 'success' }, { stopReason: event.stopReason });
        break;
      case 'interrupted':
        this.#turnId = event.turnId;
        this.#ensureRun(out);
        this.#closeAll(out, 'interrupted');
        this.#finishRun(out, { type: 'cancelled' });
        break;
      case 'error': {
        this.#closeAll(out, 'error', event.message);
        const usage = this.#usage();
        out.push({
          type: EventType.RUN_ERROR,
          message: event.message,
          code: event.code,
          ...(usage ? { usage } : {}),
          ...withMeta({ retryable: event.retryable, turnId: event.turnId }),
        });
        this.#endRun();
        break;
      }
      case 'shutdown':
        if (!this.runOpen) break;
        this.#closeAll(out, 'error', 'The server is shutting down');
        out.push({
          type: EventType.RUN_ERROR,
          message: event.reason ?? 'The server is shutting down',
          code: 'shutdown',
          ...withMeta({ shutdown: true, reason: event.reason }),
        });
        this.#endRun();
        break;
      default:
        break;
    }
    return out;
  }

  #layout(messageId: string): AssistantLayout {
    let layout = this.#layouts.get(messageId);
    if (!layout) {
      layout = new AssistantLayout(messageId);
      this.#layouts.set(messageId, layout);
    }
    return layout;
  }

  #ensureRun(out: AGUIEvent[], userMessage?: EventOf<'processing'>['userMessage'], meta: Record<string, unknown> = {}): void {
    if (this.runOpen) return;
    let runId = this.#firstRunId;
    this.#firstRunId = undefined;
    if (runId === undefined) {
      const turnId = this.#turnId ?? 'run';
      const n = (this.#runsOfTurn.get(turnId) ?? 0) + 1;
      this.#runsOfTurn.set(turnId, n);
      runId = n === 1 ? turnId : `${turnId}:${n}`;
    }
    this.#runId = runId;
    const echo = this.#echoUserMessage;
    const input: RunAgentInput | undefined =
      userMessage && echo
        ? {
            threadId: this.#threadId,
            runId,
            messages: [{ id: userMessage.id, role: 'user', content: userMessage.text, ...withMeta({ turnId: this.#turnId, createdAt: userMessage.createdAt }) }],
            tools: [],
            context: [],
          }
        : undefined;
    out.push({
      type: EventType.RUN_STARTED,
      threadId: this.#threadId,
      runId,
      ...(input ? { input } : {}),
      ...withMeta({ turnId: this.#turnId, assistantMessageId: this.#assistantMessageId, ...meta }),
    });
    out.push(...this.#held);
    this.#held = [];
  }

  #emitOrHold(out: AGUIEvent[], event: AGUIEvent): void {
    if (this.runOpen) out.push(event);
    else this.#held.push(event);
  }

  #toolCall(out: AGUIEvent[], messageId: string, toolCallId: string, name: string, input: unknown): void {
    this.#closeText(out);
    this.#closeReasoning(out);
    const parentMessageId = this.#layout(messageId).toolCall();
    this.#toolCalls.set(toolCallId, parentMessageId);
    out.push({ type: EventType.TOOL_CALL_START, toolCallId, toolCallName: name, parentMessageId });
    out.push({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta: inputToArguments(input) });
    out.push({ type: EventType.TOOL_CALL_END, toolCallId });
  }

  #toolLog(out: AGUIEvent[], event: EventOf<'tool_log'>): void {
    const { toolCallId, agent } = event;
    const id = subagentRunId(toolCallId, agent.agentId);
    const known = this.#subagents.has(id) || this.#closedSubagents.has(id);
    if (!known && agent.status === 'running') {
      this.#subagents.set(id, { toolCallId, agentId: agent.agentId });
      const parentMessageId = this.#toolCalls.get(toolCallId);
      out.push({
        type: EventType.SUBAGENT_STARTED,
        subagentRunId: id,
        name: agent.label,
        parentToolCallId: toolCallId,
        ...(parentMessageId ? { parentMessageId } : {}),
        ...withMeta({ agentId: agent.agentId }),
      });
    }
    out.push({
      type: EventType.ACTIVITY_SNAPSHOT,
      messageId: researchActivityId(toolCallId, agent.agentId),
      activityType: RESEARCH_ACTIVITY_TYPE,
      content: { toolCallId, ...agent },
      ...(this.#subagents.has(id) ? { subagentRunId: id } : {}),
    });
    if (this.#subagents.has(id) && agent.status !== 'running') {
      this.#subagents.delete(id);
      this.#closedSubagents.add(id);
      out.push(
        agent.status === 'done'
          ? { type: EventType.SUBAGENT_FINISHED, subagentRunId: id, outcome: { type: 'success' } }
          : { type: EventType.SUBAGENT_ERROR, subagentRunId: id, message: agent.step ?? `${agent.label} failed` },
      );
    }
  }

  #finishSubagentsOf(out: AGUIEvent[], toolCallId: string): void {
    for (const [id, subagent] of this.#subagents) {
      if (subagent.toolCallId !== toolCallId) continue;
      this.#subagents.delete(id);
      this.#closedSubagents.add(id);
      out.push({ type: EventType.SUBAGENT_FINISHED, subagentRunId: id, outcome: { type: 'success' } });
    }
  }

  #closeSubagents(out: AGUIEvent[], how: 'success' | 'suspended' | 'interrupted' | 'error', message?: string): void {
    for (const id of this.#subagents.keys()) {
      this.#closedSubagents.add(id);
      if (how === 'success' || how === 'suspended') {
        out.push({ type: EventType.SUBAGENT_FINISHED, subagentRunId: id, outcome: { type: how } });
      } else {
        out.push({
          type: EventType.SUBAGENT_ERROR,
          subagentRunId: id,
          message: message ?? 'Stopped by the user',
          code: how === 'interrupted' ? 'interrupted' : 'error',
        });
      }
    }
    this.#subagents.clear();
  }

  #closeText(out: AGUIEvent[]): void {
    if (this.#openText === undefined) return;
    out.push({ type: EventType.TEXT_MESSAGE_END, messageId: this.#openText });
    this.#openText = undefined;
  }

  #closeReasoning(out: AGUIEvent[], signature?: string): void {
    const id = this.#openReasoning;
    if (id === undefined) return;
    if (signature !== undefined) {
      out.push({ type: EventType.REASONING_ENCRYPTED_VALUE, subtype: 'message', entityId: id, encryptedValue: signature });
    }
    out.push({ type: EventType.REASONING_MESSAGE_END, messageId: id });
    out.push({ type: EventType.REASONING_END, messageId: id });
    this.#openReasoning = undefined;
  }

  #closeAll(out: AGUIEvent[], how: 'success' | 'interrupted' | 'error', message?: string): void {
    if (!this.runOpen) return;
    this.#closeText(out);
    this.#closeReasoning(out);
    this.#closeSubagents(out, how, message);
  }

  #usage(): TokenUsage[] | undefined {
    if (this.#runUsage.size > 0) {
      return [...this.#runUsage].map(([model, usage]) => toTokenUsage(usage, model || undefined));
    }
    if (this.#turnUsage) return [toTokenUsage(this.#turnUsage.usage, this.#turnUsage.model)];
    return undefined;
  }

  #finishRun(
    out: AGUIEvent[],
    outcome: NonNullable<Extract<AGUIEvent, { type: EventType.RUN_FINISHED }>['outcome']>,
    meta: Record<string, unknown> = {},
  ): void {
    const usage = this.#usage();
    out.push({
      type: EventType.RUN_FINISHED,
      threadId: this.#threadId,
      runId: this.#runId!,
      outcome,
      ...(usage ? { usage } : {}),
      ...withMeta(meta),
    });
    this.#endRun();
  }

  #endRun(): void {
    this.#runId = undefined;
    this.#openText = undefined;
    this.#openReasoning = undefined;
    this.#subagents.clear();
    this.#closedSubagents.clear();
    this.#runUsage.clear();
    this.#turnUsage = undefined;
  }

  #messagesSnapshot(messages: readonly ChatMessage[]): AGUIEvent {
    return { type: EventType.MESSAGES_SNAPSHOT, messages: this.#learn(messages) };
  }

  /** Takes over the layout of a conversation the client has: its assistant messages and tool calls. */
  #learn(messages: readonly ChatMessage[]): Message[] {
    const converted = toAgUiMessages(messages);
    for (const [id, layout] of converted.layouts) this.#layouts.set(id, layout);
    for (const message of converted.messages) {
      if (message.role !== 'assistant') continue;
      for (const call of message.toolCalls ?? []) this.#toolCalls.set(call.id, message.id);
    }
    return converted.messages;
  }

  #snapshot(out: AGUIEvent[], event: EventOf<'snapshot'>): void {
    if (event.turnId !== undefined) this.#turnId = event.turnId;
    const last = event.messages.at(-1);
    if (event.processing && last?.role === 'assistant') this.#assistantMessageId = last.id;
    if (!event.processing) this.#assistantMessageId = undefined;
    this.#ensureRun(out, undefined, { snapshot: true, processing: event.processing });
    this.#closeAll(out, 'success');
    out.push({ ...this.#messagesSnapshot(event.messages), ...withMeta({ title: event.title, usage: event.usage }) });
    if (event.title !== undefined) out.push({ type: EventType.CUSTOM, name: CUSTOM_EVENT.title, value: { title: event.title } });
    if (event.processing && event.pendingApprovals.length > 0) {
      this.#finishRun(out, { type: 'interrupt', interrupts: event.pendingApprovals.map(approvalInterrupt) });
    } else if (!event.processing) {
      this.#finishRun(out, { type: 'success' });
    }
  }
}

/** The interrupt that asks for the user's decision on one tool call. Its id is the tool call's id. */
export function approvalInterrupt(tool: PendingApproval): Interrupt {
  return {
    id: tool.toolCallId,
    reason: TOOL_APPROVAL_REASON,
    message: tool.reason ?? `Run ${tool.name}?`,
    toolCallId: tool.toolCallId,
    responseSchema: approvalResponseSchema(tool.inputSchema),
    ...withMeta({ name: tool.name, input: tool.input, inputSchema: tool.inputSchema }),
  };
}

/**
 * JSON Schema of the `payload` of a resume entry that answers a tool
 * approval: `{ approved, input?, feedback? }` (see `approvalsFromResume`).
 */
export function approvalResponseSchema(inputSchema?: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      approved: { type: 'boolean', description: 'Run the tool (true) or not (false).' },
      input: inputSchema ?? { description: 'The arguments to run the tool with, when the user edited them.' },
      feedback: { type: 'string', description: 'Why the call was rejected; the model reads it.' },
    },
    required: ['approved'],
  };
}

/** Our usage (input tokens without cache tokens) in AG-UI's accounting, where input tokens include the cache's. */
export function toTokenUsage(usage: UsageTotals, model?: string): TokenUsage {
  const inputTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    ...(model ? { model } : {}),
    inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: inputTokens + usage.outputTokens,
    cachedInputTokens: usage.cacheReadTokens,
    cacheWriteInputTokens: usage.cacheWriteTokens,
  };
}
