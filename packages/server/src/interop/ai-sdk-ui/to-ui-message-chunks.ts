import type { AgentEvent, EventOf } from '@agent-chat/core';
import type { UIMessageChunk } from 'ai';

/**
 * The `data-*` parts that carry what the UI message stream has no chunk for.
 * Persistent ones become parts of the assistant message (one per `id`, updated
 * in place); transient ones reach only `useChat`'s `onData`.
 */
export const DATA_PART = {
  /** `{ toolCallId, agentId, label, status, step?, toolCount, tokens, elapsedMs }`, id `<toolCallId>:<agentId>`: a research sub-agent's progress. */
  research: 'data-research',
  /** `{ scope, model?, usage, cumulative }`, id `usage`: tokens and cost in USD (the newest replaces the last). */
  usage: 'data-usage',
  /** `{ toolCallId, name, inputSchema?, reason? }`, id the tool call's: what an approval's edit form needs. */
  approval: 'data-approval',
  /** `{ toolCallId, state, input?, feedback? }`, id the tool call's: a tool call's state change (an edited input, running, ...). */
  toolState: 'data-tool-state',
  /** Transient `{ title }`: the session's title. */
  title: 'data-title',
  /** Transient `{ tokensBefore, tokensAfter }`: older history was summarised. */
  compacted: 'data-compacted',
  /** Transient `{ code, retryable, turnId? }`, sent just before the `error` chunk it explains. */
  error: 'data-error',
} as const;

/** The error text of a tool call its turn's failure left without a result. */
export const UNFINISHED_TOOL_ERROR = 'The turn failed before this tool finished.';

/** Our stop reasons in the AI SDK's words. */
const FINISH_REASONS: Record<string, 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other'> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  stop: 'stop',
  max_tokens: 'length',
  length: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/**
 * Maps agent-chat events (one session's stream, in order) to the AI SDK's UI
 * message stream chunks (`ai` 7, `UIMessageChunk`), what `useChat` with
 * `DefaultChatTransport` reads. Stateful and pure.
 *
 * A turn is one assistant message: `start` (with our message id) when it
 * starts and again when it resumes after approvals, `finish` when it ends or
 * stops for approvals. Text and reasoning are `text-*` and `reasoning-*`
 * parts; tool calls are dynamic tools (`tool-input-start`,
 * `tool-input-available`, `tool-output-available` or `tool-output-error`);
 * `approval_required` is `tool-approval-request` (approval id = tool call id),
 * answered by `addToolApprovalResponse`; a rejection is `tool-output-denied`.
 * A stop is `abort`; a failure `error`. Usage, title, research progress and
 * the rest travel as `data-*` parts (`DATA_PART`). A `snapshot` has no
 * counterpart in the stream: the conversation so far is `toUIMessages`, for
 * `useChat({ messages })`.
 */
export class AgentChatToUIMessageChunks {
  #messageId: string | undefined;
  #started = false;
  #texts = 0;
  #openText: string | undefined;
  #openReasoning: string | undefined;
  #toolCalls = new Set<string>();
  /** Tool calls of the open turn without a result yet. */
  #unsettled = new Set<string>();

  /** Whether an assistant message is open (between `start` and its `finish`, `abort` or `error`). */
  get messageOpen(): boolean {
    return this.#started;
  }

  /** The chunks `event` stands for, in order. */
  map(event: AgentEvent): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    switch (event.type) {
      case 'processing':
        if (this.#started && this.#messageId === event.assistantMessageId) break;
        this.#closeMessage(out);
        this.#messageId = event.assistantMessageId;
        this.#start(out, event.turnId);
        break;
      case 'assistant_chunk':
        this.#start(out);
        this.#closeReasoning(out);
        if (this.#openText === undefined) {
          this.#openText = `${event.messageId}:text:${++this.#texts}`;
          out.push({ type: 'text-start', id: this.#openText });
        }
        out.push({ type: 'text-delta', id: this.#openText, delta: event.delta });
        break;
      case 'assistant_stream_end':
        this.#closeText(out);
        break;
      case 'thinking_chunk':
        this.#start(out);
        this.#closeText(out);
        if (this.#openReasoning === undefined) {
          this.#openReasoning = `${event.messageId}:reasoning:${++this.#texts}`;
          out.push({ type: 'reasoning-start', id: this.#openReasoning });
        }
        out.push({ type: 'reasoning-delta', id: this.#openReasoning, delta: event.delta });
        break;
      case 'thinking_end':
        this.#closeReasoning(out, event.signature);
        break;
      case 'tool_call':
        this.#start(out);
        this.#toolCall(out, event.toolCallId, event.name, event.input);
        break;
      case 'tool_output':
        this.#start(out);
        this.#unsettled.delete(event.toolCallId);
        out.push(
          event.isError
            ? { type: 'tool-output-error', toolCallId: event.toolCallId, errorText: outputText(event.output), dynamic: true }
            : { type: 'tool-output-available', toolCallId: event.toolCallId, output: event.output, dynamic: true },
        );
        break;
      case 'approval_required':
        this.#start(out);
        this.#closeText(out);
        this.#closeReasoning(out);
        for (const tool of event.tools) {
          if (!this.#toolCalls.has(tool.toolCallId)) this.#toolCall(out, tool.toolCallId, tool.name, tool.input);
          out.push({
            type: 'tool-approval-request',
            approvalId: tool.toolCallId,
            toolCallId: tool.toolCallId,
            ...(tool.reason !== undefined ? { reason: tool.reason } : {}),
          });
          out.push({
            type: DATA_PART.approval,
            id: tool.toolCallId,
            data: { toolCallId: tool.toolCallId, name: tool.name, inputSchema: tool.inputSchema, reason: tool.reason },
          });
        }
        this.#finish(out, 'tool-calls', event.turnId, 'approval_required');
        break;
      case 'tool_state_change':
        this.#start(out);
        this.#toolState(out, event);
        break;
      case 'tool_log':
        this.#start(out);
        out.push({ type: DATA_PART.research, id: `${event.toolCallId}:${event.agent.agentId}`, data: { toolCallId: event.toolCallId, ...event.agent } });
        break;
      case 'usage': {
        const { type: _type, ...data } = event;
        if (this.#started) out.push({ type: DATA_PART.usage, id: 'usage', data });
        break;
      }
      case 'title':
        out.push({ type: DATA_PART.title, data: { title: event.title }, transient: true });
        break;
      case 'compacted':
        out.push({ type: DATA_PART.compacted, data: { tokensBefore: event.tokensBefore, tokensAfter: event.tokensAfter }, transient: true });
        break;
      case 'turn_complete':
        this.#start(out);
        this.#finish(out, FINISH_REASONS[event.stopReason] ?? 'other', event.turnId, event.stopReason);
        break;
      case 'interrupted':
        this.#closeMessage(out, 'interrupted');
        break;
      case 'shutdown':
        this.#closeMessage(out, event.reason ?? 'shutdown');
        break;
      case 'error':
        this.#closeText(out);
        this.#closeReasoning(out);
        // As the conversation reducer does: a tool the failed turn leaves unfinished failed with it.
        if (this.#started) {
          for (const toolCallId of this.#unsettled) out.push({ type: 'tool-output-error', toolCallId, errorText: UNFINISHED_TOOL_ERROR, dynamic: true });
        }
        out.push({ type: DATA_PART.error, data: { code: event.code, retryable: event.retryable, turnId: event.turnId }, transient: true });
        out.push({ type: 'error', errorText: event.message });
        this.#reset();
        break;
      case 'snapshot': {
        // Nothing in the stream (see toUIMessages); live events that follow continue its running turn's message.
        const last = event.messages.at(-1);
        if (event.processing && last?.role === 'assistant' && !this.#started) this.#messageId = last.id;
        break;
      }
      default:
        break;
    }
    return out;
  }

  #start(out: UIMessageChunk[], turnId?: string): void {
    if (this.#started || this.#messageId === undefined) return;
    this.#started = true;
    out.push({ type: 'start', messageId: this.#messageId, ...(turnId ? { messageMetadata: { turnId } } : {}) });
    out.push({ type: 'start-step' });
  }

  #toolCall(out: UIMessageChunk[], toolCallId: string, toolName: string, input: unknown): void {
    this.#closeText(out);
    this.#closeReasoning(out);
    this.#toolCalls.add(toolCallId);
    this.#unsettled.add(toolCallId);
    out.push({ type: 'tool-input-start', toolCallId, toolName, dynamic: true });
    out.push({ type: 'tool-input-available', toolCallId, toolName, input: input ?? {}, dynamic: true });
  }

  #toolState(out: UIMessageChunk[], event: EventOf<'tool_state_change'>): void {
    if (event.state === 'approved' || event.state === 'rejected') {
      out.push({
        type: 'tool-approval-response',
        approvalId: event.toolCallId,
        approved: event.state === 'approved',
        ...(event.feedback !== undefined ? { reason: event.feedback } : {}),
      });
      if (event.state === 'rejected') {
        this.#unsettled.delete(event.toolCallId);
        out.push({ type: 'tool-output-denied', toolCallId: event.toolCallId });
      }
      if (event.input === undefined) return;
    }
    const { type: _type, ...data } = event;
    out.push({ type: DATA_PART.toolState, id: event.toolCallId, data });
  }

  #closeText(out: UIMessageChunk[]): void {
    if (this.#openText === undefined) return;
    out.push({ type: 'text-end', id: this.#openText });
    this.#openText = undefined;
  }

  #closeReasoning(out: UIMessageChunk[], signature?: string): void {
    if (this.#openReasoning === undefined) return;
    out.push({
      type: 'reasoning-end',
      id: this.#openReasoning,
      ...(signature !== undefined ? { providerMetadata: { anthropic: { signature } } } : {}),
    });
    this.#openReasoning = undefined;
  }

  #finish(out: UIMessageChunk[], finishReason: NonNullable<Extract<UIMessageChunk, { type: 'finish' }>['finishReason']>, turnId: string, stopReason: string): void {
    this.#closeText(out);
    this.#closeReasoning(out);
    out.push({ type: 'finish-step' });
    out.push({ type: 'finish', finishReason, messageMetadata: { turnId, stopReason } });
    this.#reset();
  }

  /** Ends an open message without finishing it: `abort` (a stop, a shutdown). */
  #closeMessage(out: UIMessageChunk[], reason?: string): void {
    if (!this.#started) return;
    this.#closeText(out);
    this.#closeReasoning(out);
    if (reason !== undefined) out.push({ type: 'abort', reason });
    this.#reset();
  }

  #reset(): void {
    this.#started = false;
    this.#unsettled.clear();
    this.#openText = undefined;
    this.#openReasoning = undefined;
  }
}

/** A tool's failed output as the text `tool-output-error` carries. */
function outputText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}
