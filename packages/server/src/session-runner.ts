import { randomUUID } from 'node:crypto';
import type { AgentEvent, ApprovalDecision, ConversationState, PendingApproval, SequencedEvent } from '@agent-chat/core';
import { AGENT_OUTPUT_TYPES, AgentError, type Agent, type AgentContext, type AgentOutput } from './agent.js';
import { ApiError } from './api-error.js';

/** What a runner needs from its session: its id, its reduced state and its log. */
export interface TurnHost {
  readonly id: string;
  readonly state: ConversationState;
  /** The session's chosen model, if any. */
  readonly model: string | undefined;
  append(event: AgentEvent): SequencedEvent;
}

interface PendingApprovalRequest {
  tools: PendingApproval[];
  resolve(decisions: ApprovalDecision[]): void;
  reject(error: unknown): void;
}

interface Turn {
  turnId: string;
  messageId: string;
  controller: AbortController;
  /** Set once the turn's terminal event is appended; later output of the agent is dropped. */
  ended: boolean;
  approval: PendingApprovalRequest | undefined;
}

const OUTPUT_TYPES: ReadonlySet<string> = new Set(AGENT_OUTPUT_TYPES);

/** Options of {@link SessionRunner}. */
export interface SessionRunnerOptions {
  agent: Agent;
  logger: Pick<Console, 'warn' | 'error'>;
}

/**
 * Runs a session's turns, one at a time, as tasks owned by the session (not by
 * any HTTP request). It writes every event of a turn to the session's log:
 * `processing`, what the agent yields, `approval_required` and the end
 * (`turn_complete`, `error` or `interrupted`).
 */
export class SessionRunner {
  readonly #host: TurnHost;
  readonly #agent: Agent;
  readonly #logger: Pick<Console, 'warn' | 'error'>;
  #turn: Turn | undefined;
  readonly #tasks = new Set<Promise<void>>();

  constructor(host: TurnHost, options: SessionRunnerOptions) {
    this.#host = host;
    this.#agent = options.agent;
    this.#logger = options.logger;
  }

  /** Whether a turn is running, including one waiting for approval. */
  get running(): boolean {
    return this.#turn !== undefined;
  }

  /** The tool calls waiting for the user's decision, if any. */
  get pendingApprovals(): readonly PendingApproval[] {
    return this.#turn?.approval?.tools ?? [];
  }

  /**
   * Checks that a text turn can start now.
   * @throws {ApiError} 409 `turn_running` when a turn is running.
   */
  assertCanStart(): void {
    if (this.#turn) {
      throw new ApiError(409, 'turn_running', 'A turn is already running in this session; wait for it to end or interrupt it.');
    }
  }

  /**
   * Starts a turn for the user's text: appends `processing` synchronously (so a
   * subscriber registered before sees it), then runs the agent in the background.
   *
   * @throws {ApiError} 409 `turn_running` when a turn is running.
   */
  start(text: string): { turnId: string; messageId: string } {
    this.assertCanStart();
    const history = this.#host.state.messages;
    const usage = this.#host.state.usage.session;
    const turn: Turn = {
      turnId: randomUUID(),
      messageId: randomUUID(),
      controller: new AbortController(),
      ended: false,
      approval: undefined,
    };
    this.#turn = turn;
    this.#host.append({
      type: 'processing',
      turnId: turn.turnId,
      assistantMessageId: turn.messageId,
      userMessage: { id: randomUUID(), text, createdAt: Date.now() },
    });
    const ctx: AgentContext = {
      sessionId: this.#host.id,
      turnId: turn.turnId,
      messageId: turn.messageId,
      history,
      input: { text },
      model: this.#host.model,
      usage,
      signal: turn.controller.signal,
      requestApproval: (tools) => this.#requestApproval(turn, tools),
    };
    const task = this.#run(turn, ctx);
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
    return { turnId: turn.turnId, messageId: turn.messageId };
  }

  /**
   * Checks the user's decisions against the pending approval request.
   * All pending calls must be answered at once, each exactly once.
   *
   * @throws {ApiError} 409 `no_pending_approval`; 422 `invalid_approvals`.
   */
  assertApprovals(decisions: readonly ApprovalDecision[]): void {
    const pending = this.#turn?.approval?.tools;
    if (!pending) throw new ApiError(409, 'no_pending_approval', 'No tool call is waiting for approval in this session.');
    const expected = new Set(pending.map((tool) => tool.toolCallId));
    const seen = new Set<string>();
    const issues: { path: (string | number)[]; message: string }[] = [];
    decisions.forEach((decision, index) => {
      if (!expected.has(decision.toolCallId)) {
        issues.push({ path: ['approvals', index, 'toolCallId'], message: `No pending tool call has id ${decision.toolCallId}` });
      } else if (seen.has(decision.toolCallId)) {
        issues.push({ path: ['approvals', index, 'toolCallId'], message: `Tool call ${decision.toolCallId} is answered twice` });
      }
      seen.add(decision.toolCallId);
    });
    for (const id of expected) {
      if (!seen.has(id)) issues.push({ path: ['approvals'], message: `Missing a decision for tool call ${id}` });
    }
    if (issues.length > 0) {
      throw new ApiError(422, 'invalid_approvals', 'The approvals must answer every pending tool call exactly once.', { issues });
    }
  }

  /**
   * Applies the user's decisions: one `tool_state_change` per call, then
   * `processing` (no user message), then resumes the agent.
   *
   * @throws {ApiError} as {@link assertApprovals}.
   */
  submitApprovals(decisions: readonly ApprovalDecision[]): void {
    this.assertApprovals(decisions);
    const turn = this.#turn!;
    const approval = turn.approval!;
    turn.approval = undefined;
    for (const decision of decisions) {
      if (decision.decision === 'approve') {
        this.#host.append({
          type: 'tool_state_change',
          toolCallId: decision.toolCallId,
          state: 'approved',
          ...(decision.input !== undefined ? { input: decision.input } : {}),
        });
      } else {
        this.#host.append({
          type: 'tool_state_change',
          toolCallId: decision.toolCallId,
          state: 'rejected',
          ...(decision.feedback !== undefined ? { feedback: decision.feedback } : {}),
        });
      }
    }
    this.#host.append({ type: 'processing', turnId: turn.turnId, assistantMessageId: turn.messageId });
    approval.resolve([...decisions]);
  }

  /**
   * Stops the running turn now: aborts the agent's signal, rejects a pending
   * approval and appends `interrupted`. Whatever the agent yields afterwards is dropped.
   *
   * @returns False when no turn was running.
   */
  interrupt(): boolean {
    const turn = this.#turn;
    if (!turn) return false;
    this.#end(turn, { type: 'interrupted', turnId: turn.turnId });
    turn.controller.abort(new DOMException('The turn was interrupted', 'AbortError'));
    return true;
  }

  /** Resolves when every agent task has settled, or after `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.#tasks.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.#tasks]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  async #run(turn: Turn, ctx: AgentContext): Promise<void> {
    let stopReason = 'end_turn';
    try {
      for await (const output of this.#agent.run(ctx)) {
        if (turn.ended) break;
        if (output.type === 'turn_complete') {
          stopReason = output.stopReason;
          break;
        }
        const event = this.#toEvent(turn, output);
        if (event) this.#host.append(event);
      }
      if (!turn.ended) this.#end(turn, { type: 'turn_complete', turnId: turn.turnId, stopReason });
    } catch (error) {
      if (turn.ended) return;
      this.#logger.error(`[agent-chat] agent failed in session ${ctx.sessionId}, turn ${turn.turnId}:`, error);
      const known = error instanceof AgentError;
      this.#end(turn, {
        type: 'error',
        code: known ? error.code : 'agent_error',
        message: known ? error.message : 'The agent failed while answering. Try again.',
        retryable: known ? error.retryable : false,
        turnId: turn.turnId,
      });
    }
  }

  #toEvent(turn: Turn, output: AgentOutput): AgentEvent | undefined {
    if (!OUTPUT_TYPES.has(output.type)) {
      this.#logger.warn(`[agent-chat] dropped a "${String(output.type)}" event from the agent: only the runner emits it`);
      return undefined;
    }
    if ('messageId' in output || needsMessageId(output.type)) {
      return { ...output, messageId: (output as { messageId?: string }).messageId ?? turn.messageId } as AgentEvent;
    }
    return output as AgentEvent;
  }

  #requestApproval(turn: Turn, tools: PendingApproval[]): Promise<ApprovalDecision[]> {
    if (turn.ended || turn.controller.signal.aborted) {
      return Promise.reject(new DOMException('The turn was interrupted', 'AbortError'));
    }
    if (turn.approval) return Promise.reject(new Error('An approval is already pending in this turn'));
    if (tools.length === 0) return Promise.reject(new Error('requestApproval needs at least one tool call'));
    const decisions = new Promise<ApprovalDecision[]>((resolve, reject) => {
      turn.approval = { tools: [...tools], resolve, reject };
    });
    // An agent that ends without awaiting its request must not cause an unhandled rejection.
    decisions.catch(() => {});
    this.#host.append({ type: 'approval_required', turnId: turn.turnId, messageId: turn.messageId, tools: [...tools] });
    return decisions;
  }

  /** Appends the turn's terminal event once, and frees the session for the next turn. */
  #end(turn: Turn, event: AgentEvent): void {
    if (turn.ended) return;
    turn.ended = true;
    if (this.#turn === turn) this.#turn = undefined;
    turn.approval?.reject(new DOMException(`The turn ended (${event.type})`, 'AbortError'));
    turn.approval = undefined;
    this.#host.append(event);
  }
}

function needsMessageId(type: string): boolean {
  return (
    type === 'assistant_chunk' ||
    type === 'assistant_stream_end' ||
    type === 'thinking_chunk' ||
    type === 'thinking_end' ||
    type === 'tool_call'
  );
}
