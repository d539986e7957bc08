import { AGENT_EVENT_TYPES, EVENT_TRAITS } from '@agent-chat/core';
import type { ApprovalDecision, Attachment, ChatMessage, EventOf, EventTypeWithout, ModelInfo, PendingApproval, UsageTotals } from '@agent-chat/core';

/** The type of an event an agent may yield: one not `serverOnly` in core's `EVENT_TRAITS`. */
export type AgentOutputType = EventTypeWithout<'serverOnly'>;

/**
 * Event types an agent may yield, in protocol order. The runner owns the
 * others (`processing`, `approval_required`, the turn's end).
 */
export const AGENT_OUTPUT_TYPES: readonly AgentOutputType[] = AGENT_EVENT_TYPES.filter(
  (type): type is AgentOutputType => !('serverOnly' in EVENT_TRAITS[type]),
);

/**
 * One thing an agent yields. `messageId` may be left out: the runner fills in
 * the turn's assistant message id. A yielded `turn_complete` only supplies the
 * stop reason; the runner appends the real one when `run()` ends.
 */
export type AgentOutput = {
  [T in AgentOutputType]: EventOf<T> extends { messageId: string } ? WithOptionalMessageId<EventOf<T>> : EventOf<T>;
}[AgentOutputType];

/**
 * An event `E` whose `messageId` may be left out. (`Omit` would collapse the
 * events' index signature, as they are loose objects, and lose every named field.)
 */
export type WithOptionalMessageId<E> = { [K in keyof E as K extends 'messageId' ? never : K]: E[K] } & { messageId?: string };

/** What a turn gives the agent. */
export interface AgentContext {
  sessionId: string;
  turnId: string;
  /** Id of this turn's assistant message; belongs on every event that has a `messageId`. */
  messageId: string;
  /** The conversation before this turn's user message. */
  history: readonly ChatMessage[];
  /** The user's message: text (may be empty when files are attached) and the files it carries, in the order sent. */
  input: { text: string; attachments?: readonly Attachment[] };
  /** The model to use: the session's choice (`POST /session/:id/model`), else the server's default, else the agent's own. */
  model: string | undefined;
  /** The session's cumulative usage before this turn (tokens, USD), when any was reported. */
  usage: UsageTotals | undefined;
  /** Aborted on interrupt, session deletion or server shutdown; stop promptly. */
  signal: AbortSignal;
  /**
   * Asks the user to decide on tool calls (emit their `tool_call` events first).
   * Appends `approval_required` and resolves with one decision per tool, in any order,
   * when the user answers.
   *
   * @throws {DOMException} named `AbortError` when the turn is interrupted meanwhile.
   * @throws {Error} when an approval is already pending or `tools` is empty.
   */
  requestApproval(tools: PendingApproval[], options?: ApprovalOptions): Promise<ApprovalDecision[]>;
  /**
   * Reads the bytes of one of the session's attachments (of `input` or of a
   * message in `history`). Present when the server keeps attachments.
   * @throws {Error} when the file is gone (deleted meanwhile).
   */
  readAttachment?(attachment: Attachment): Promise<Uint8Array>;
}

/**
 * Which attachments an agent can hand its model. The server refuses a message
 * with any other file (422 `unsupported_attachment`) before the turn starts,
 * and advertises only these types in `/health`.
 */
export interface AgentAttachmentSupport {
  /** Media types the agent takes, e.g. `image/png`, `application/pdf`, `text/plain`. */
  readonly mediaTypes: readonly string[];
  /** Whether `model` takes `mediaType` (one of `mediaTypes`); absent: every model does. */
  supports?(mediaType: string, model: string | undefined): boolean;
}

/** How the server checks the user's answers to an approval request. */
export interface ApprovalOptions {
  /**
   * Checks an input the user edited before approving. Problems found make the
   * approvals POST answer 422 `invalid_approvals`, naming each field
   * (`approvals.N.input.<path>`), and nothing is applied.
   */
  validateInput?(toolCallId: string, input: unknown): { path: (string | number)[]; message: string }[];
}

/**
 * An agent: turns the user's input into a stream of protocol events.
 * `run()` is called once per turn; the async iterable ends when the turn is done.
 * Throwing ends the turn with an `error` event (`agent_error`); the message
 * sent to the client is generic, the error itself is logged.
 */
export interface Agent {
  readonly name?: string;
  run(ctx: AgentContext): AsyncIterable<AgentOutput>;
  /** The files the agent can take; absent: none (the server turns attachments off). */
  readonly attachments?: AgentAttachmentSupport;
  /** Models this agent can run, for `GET /config/model`; the first is the default. */
  readonly models?: readonly ModelInfo[];
  /**
   * Summarises older history (`POST /compact/:id` and automatic compaction).
   * Returns the summary text that replaces `ctx.messages`; the server keeps the
   * newer turns as they are.
   */
  summarize?(ctx: SummarizeContext): Promise<string>;
  /** A short title (about six words) for a conversation that starts with `text`. */
  title?(text: string, options: { signal: AbortSignal; model?: string }): Promise<string>;
  /** Whether the model provider answers (`GET /health/llm`); a 1-token probe for a hosted model. */
  checkHealth?(options: { signal: AbortSignal; model?: string }): Promise<AgentHealth>;
}

/** A model an agent offers: `{ id, label, provider?, recommended? }` (core's `modelInfoSchema`, also the wire shape). */
export type { ModelInfo };

/** What `Agent.summarize` is given. */
export interface SummarizeContext {
  sessionId: string;
  /** The messages to fold into one summary, oldest first. */
  messages: readonly ChatMessage[];
  model: string | undefined;
  signal: AbortSignal;
}

/** The answer of `Agent.checkHealth`. */
export interface AgentHealth {
  ok: boolean;
  model?: string;
  /** Round trip of the probe, in milliseconds. */
  latencyMs?: number;
  /** Why it is not ok, safe to show. */
  error?: string;
}

/**
 * An error an agent throws on purpose, whose `code`, `message` and `retryable`
 * are safe to show to the user: the runner sends them in the turn's `error`
 * event. Any other exception becomes a generic `agent_error` (details are logged,
 * never sent).
 */
export class AgentError extends Error {
  /** Stable machine-readable code, e.g. `overloaded`, `rate_limited`. */
  readonly code: string;
  /** Whether sending the same input again may succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
