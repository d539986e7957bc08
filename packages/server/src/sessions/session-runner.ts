import { randomUUID } from 'node:crypto';
import { eventTypesWith } from '@agent-chat/core';
import type {
  AgentEvent,
  ApprovalDecision,
  ChatMessage,
  CompactResult,
  ConversationState,
  PendingApproval,
  SequencedEvent,
} from '@agent-chat/core';
import { AGENT_OUTPUT_TYPES, AgentError, type Agent, type AgentContext, type AgentOutput, type ApprovalOptions } from '../agents/agent.js';
import { ChatError, noPendingApproval, turnRunning } from '../chat-error.js';
import { splitForCompaction } from './conversation-turns.js';
import { estimateTokens } from './estimate-tokens.js';
import { extractiveSummary } from './extractive-summary.js';

/** Longest stretch (ms) the runner consumes a synchronous agent before yielding to the event loop. */
const SLICE_MS = 5;

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
  validateInput: ApprovalOptions['validateInput'];
  resolve(decisions: ApprovalDecision[]): void;
  reject(error: unknown): void;
}

interface Turn {
  turnId: string;
  messageId: string;
  userMessageId: string;
  controller: AbortController;
  /** Set once the turn's terminal event is appended; later output of the agent is dropped. */
  ended: boolean;
  approval: PendingApprovalRequest | undefined;
}

const OUTPUT_TYPES: ReadonlySet<string> = new Set(AGENT_OUTPUT_TYPES);

/** What the user sends to start a turn (the agent gets it as `AgentContext.input`), and how the agent reads the session's files. */
export type TurnInput = AgentContext['input'] & Pick<AgentContext, 'readAttachment'>;

/** When a session's history is summarised on its own, before a turn. */
export interface CompactionOptions {
  /** Compact when the history before a turn is estimated above this many tokens (about 4 characters each). */
  thresholdTokens: number;
  /** Turns kept as they are, newest first. Default 2. */
  keepLastTurns?: number;
}

/** Turns that compaction keeps as they are unless told otherwise. */
export const DEFAULT_KEEP_LAST_TURNS = 2;

/** Options of {@link SessionRunner}. */
export interface SessionRunnerOptions {
  agent: Agent;
  logger: Pick<Console, 'warn' | 'error'>;
  /** The server's default model, for sessions that chose none. */
  defaultModel?: () => string | undefined;
  /** Automatic compaction before each turn; off when absent. */
  compaction?: CompactionOptions;
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
  readonly #defaultModel: () => string | undefined;
  readonly #compaction: CompactionOptions | undefined;
  #turn: Turn | undefined;
  /** Aborts the manual compaction in progress, if any; the session takes no turn meanwhile. */
  #compacting: AbortController | undefined;
  readonly #tasks = new Set<Promise<unknown>>();

  constructor(host: TurnHost, options: SessionRunnerOptions) {
    this.#host = host;
    this.#agent = options.agent;
    this.#logger = options.logger;
    this.#defaultModel = options.defaultModel ?? (() => undefined);
    this.#compaction = options.compaction;
  }

  /** Whether a turn is running, including one waiting for approval. */
  get running(): boolean {
    return this.#turn !== undefined;
  }

  /** Whether a turn or a manual compaction is running: the history may change under a caller. */
  get busy(): boolean {
    return this.#turn !== undefined || this.#compacting !== undefined;
  }

  /** Whether the session only waits for the user (a turn waiting for approval counts). */
  get waitingForUser(): boolean {
    return this.#turn === undefined ? this.#compacting === undefined : this.#turn.approval !== undefined;
  }

  /** The model a turn would use now: the session's choice, else the server's default, else `undefined` (the agent's own). */
  get model(): string | undefined {
    return this.#host.model ?? this.#defaultModel();
  }

  /** The tool calls waiting for the user's decision, if any. */
  get pendingApprovals(): readonly PendingApproval[] {
    return this.#turn?.approval?.tools ?? [];
  }

  /**
   * Checks that a text turn can start now.
   * @throws {ChatError} `turn_running` when a turn is running.
   */
  assertCanStart(): void {
    if (this.#turn) {
      throw turnRunning();
    }
    if (this.#compacting) {
      throw turnRunning('The session is being compacted; try again when it is done.');
    }
  }

  /**
   * Checks that nothing runs that could change the history: the guard of undo,
   * truncate and compact.
   * @throws {ChatError} `turn_running` while a turn (including one waiting for approval) or a compaction runs.
   */
  assertIdle(): void {
    this.assertCanStart();
  }

  /**
   * Folds all but the last `keepLastTurns` turns into one summary message (the
   * agent's `summarize()`, else a deterministic extractive summary) and appends
   * `compacted` with the new history. No turn can start meanwhile. When there is
   * nothing to fold, appends nothing and reports equal counts.
   *
   * @returns Estimated tokens of the history before and after (about 4 characters each).
   * @throws {ChatError} `turn_running` when busy; `interrupted` when interrupted
   *   meanwhile; 502 `summarize_failed` when the agent's summary failed (nothing changed).
   */
  async compact(keepLastTurns = DEFAULT_KEEP_LAST_TURNS): Promise<CompactResult> {
    this.assertIdle();
    const controller = new AbortController();
    this.#compacting = controller;
    const task = (async (): Promise<CompactResult> => {
      const history = this.#host.state.messages;
      const tokensBefore = estimateTokens(history);
      let folded: Folded | undefined;
      try {
        folded = await this.#fold(history, keepLastTurns, controller.signal, this.model);
      } catch (error) {
        if (controller.signal.aborted) throw compactionInterrupted();
        this.#logger.error(`[agent-chat] summarize failed in session ${this.#host.id}:`, error);
        throw new ChatError('summarize_failed', 'The agent could not summarise the conversation; nothing was changed. Try again.');
      }
      if (controller.signal.aborted) throw compactionInterrupted();
      if (!folded) return { tokensBefore, tokensAfter: tokensBefore };
      this.#host.append({ type: 'compacted', tokensBefore, tokensAfter: folded.tokensAfter, messages: folded.messages });
      return { tokensBefore, tokensAfter: folded.tokensAfter };
    })();
    this.#tasks.add(task);
    try {
      return await task;
    } finally {
      this.#tasks.delete(task);
      if (this.#compacting === controller) this.#compacting = undefined;
    }
  }

  /**
   * Starts a turn for the user's input: appends `processing` synchronously (so a
   * subscriber registered before sees it), then runs the agent in the background
   * from the next macrotask on: a caller that subscribes to the log right after
   * (even after awaiting) sees every other event of the turn live.
   *
   * @throws {ChatError} `turn_running` when a turn is running.
   */
  start(input: TurnInput): { turnId: string; messageId: string } {
    this.assertCanStart();
    const history = this.#host.state.messages;
    const usage = this.#host.state.usage.session;
    const turn: Turn = {
      turnId: randomUUID(),
      messageId: randomUUID(),
      userMessageId: randomUUID(),
      controller: new AbortController(),
      ended: false,
      approval: undefined,
    };
    this.#turn = turn;
    this.#host.append({
      type: 'processing',
      turnId: turn.turnId,
      assistantMessageId: turn.messageId,
      userMessage: {
        id: turn.userMessageId,
        text: input.text,
        createdAt: Date.now(),
        ...(input.attachments?.length ? { attachments: [...input.attachments] } : {}),
      },
    });
    const { readAttachment, ...agentInput } = input;
    const ctx: AgentContext = {
      sessionId: this.#host.id,
      turnId: turn.turnId,
      messageId: turn.messageId,
      history,
      input: agentInput,
      model: this.model,
      usage,
      signal: turn.controller.signal,
      requestApproval: (tools, options) => this.#requestApproval(turn, tools, options),
      ...(readAttachment ? { readAttachment } : {}),
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
   * @throws {ChatError} `no_pending_approval`; `invalid_approvals`.
   */
  assertApprovals(decisions: readonly ApprovalDecision[]): void {
    const pending = this.#turn?.approval?.tools;
    if (!pending) throw noPendingApproval();
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
      throw new ChatError('invalid_approvals', 'The approvals must answer every pending tool call exactly once.', { issues });
    }
    const validate = this.#turn!.approval!.validateInput;
    decisions.forEach((decision, index) => {
      if (decision.decision !== 'approve' || decision.input === undefined || !validate) return;
      for (const issue of validate(decision.toolCallId, decision.input)) {
        issues.push({ path: ['approvals', index, 'input', ...issue.path], message: issue.message });
      }
    });
    if (issues.length > 0) {
      throw new ChatError('invalid_approvals', "An edited input does not match the tool's input schema.", { issues });
    }
  }

  /**
   * Applies the user's decisions: one `tool_state_change` per call, then
   * `processing` (no user message), then resumes the agent.
   *
   * @throws {ChatError} as {@link assertApprovals}.
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
   * approval and appends `interrupted`. Whatever the agent yields afterwards is
   * dropped. Also abandons a manual compaction in progress (nothing is changed).
   *
   * @returns False when neither a turn nor a compaction was running.
   */
  interrupt(): boolean {
    const compacting = this.#compacting;
    if (compacting) {
      this.#compacting = undefined;
      compacting.abort(new DOMException('The compaction was interrupted', 'AbortError'));
    }
    const turn = this.#turn;
    if (!turn) return compacting !== undefined;
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

  async #run(turn: Turn, startCtx: AgentContext): Promise<void> {
    let stopReason = 'end_turn';
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (turn.ended) return;
      const ctx = await this.#compactBeforeTurn(turn, startCtx);
      if (turn.ended) return;
      // An agent that yields without awaiting I/O (or a burst of buffered model deltas) would otherwise
      // run the whole turn, with every subscriber's fan-out, in one macrotask: sockets could not drain
      // and every other request would wait. Give the loop a turn after each slice of SLICE_MS.
      let sliceStart = performance.now();
      for await (const output of this.#agent.run(ctx)) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
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
      this.#logger.error(`[agent-chat] agent failed in session ${startCtx.sessionId}, turn ${turn.turnId}:`, error);
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

  /**
   * Automatic compaction: when the history before this turn is over the
   * threshold, folds it and appends `compacted` (the history plus this turn's
   * messages), and gives the agent the folded history. A failed summary is
   * logged and the turn goes on with the full history.
   */
  async #compactBeforeTurn(turn: Turn, ctx: AgentContext): Promise<AgentContext> {
    const options = this.#compaction;
    if (!options || estimateTokens(ctx.history) <= options.thresholdTokens) return ctx;
    const tokensBefore = estimateTokens(ctx.history);
    let folded: Folded | undefined;
    try {
      folded = await this.#fold(ctx.history, options.keepLastTurns ?? DEFAULT_KEEP_LAST_TURNS, turn.controller.signal, ctx.model);
    } catch (error) {
      if (!turn.ended) this.#logger.warn(`[agent-chat] automatic compaction failed in session ${ctx.sessionId}; the turn goes on with the full history:`, error);
      return ctx;
    }
    // A fold that does not shrink the history would only be redone before every turn.
    if (!folded || turn.ended || folded.tokensAfter >= tokensBefore) return ctx;
    const messages = this.#host.state.messages;
    const start = messages.findIndex((message) => message.id === turn.userMessageId);
    const current = start === -1 ? [] : messages.slice(start);
    this.#host.append({
      type: 'compacted',
      tokensBefore,
      tokensAfter: folded.tokensAfter,
      messages: [...folded.messages, ...current],
    });
    return { ...ctx, history: folded.messages };
  }

  /** The history with all but the last `keepLastTurns` turns folded into one summary message; `undefined` when nothing is to fold. */
  async #fold(
    history: readonly ChatMessage[],
    keepLastTurns: number,
    signal: AbortSignal,
    model: string | undefined,
  ): Promise<Folded | undefined> {
    const { older, kept } = splitForCompaction(history, keepLastTurns);
    if (older.length === 0) return undefined;
    const raw = this.#agent.summarize
      ? await this.#agent.summarize({ sessionId: this.#host.id, messages: older, model, signal })
      : extractiveSummary(older);
    signal.throwIfAborted();
    const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : extractiveSummary(older);
    const summary: ChatMessage = {
      id: randomUUID(),
      role: 'assistant',
      summary: true,
      createdAt: Date.now(),
      parts: [{ type: 'text', text, state: 'done' }],
    };
    const messages = [summary, ...kept];
    return { messages, tokensAfter: estimateTokens(messages) };
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

  #requestApproval(turn: Turn, tools: PendingApproval[], options: ApprovalOptions = {}): Promise<ApprovalDecision[]> {
    if (turn.ended || turn.controller.signal.aborted) {
      return Promise.reject(new DOMException('The turn was interrupted', 'AbortError'));
    }
    if (turn.approval) return Promise.reject(new Error('An approval is already pending in this turn'));
    if (tools.length === 0) return Promise.reject(new Error('requestApproval needs at least one tool call'));
    const decisions = new Promise<ApprovalDecision[]>((resolve, reject) => {
      turn.approval = { tools: [...tools], validateInput: options.validateInput, resolve, reject };
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

interface Folded {
  messages: ChatMessage[];
  tokensAfter: number;
}

function compactionInterrupted(): ChatError {
  return new ChatError('interrupted', 'The compaction was interrupted; nothing was changed.');
}

/** Event types that carry the turn's assistant message id (core's `EVENT_TRAITS`). */
const MESSAGE_ID_TYPES: ReadonlySet<string> = new Set(eventTypesWith('messageId'));

function needsMessageId(type: string): boolean {
  return MESSAGE_ID_TYPES.has(type);
}
