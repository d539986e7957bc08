import * as z from 'zod/mini';
import { AGENT_EVENT_TYPES } from '../event-table.js';
import { conversationFields } from './conversation-fields.js';
import {
  attachmentSchema,
  chatMessageSchema,
  pendingApprovalSchema,
  researchAgentSchema,
  toolCallStateSchema,
  usageTotalsSchema,
} from './messages.js';

/**
 * The agent-chat event vocabulary. On the wire each event is one SSE frame:
 * `event:` carries `type`, `data:` the JSON object, and `id:` the event's
 * per-session sequence number (see docs/protocol.md).
 *
 * Every object is loose: unknown fields from a newer server are kept, never an error.
 */

/** First event of every stream: the protocol version and where the stream starts. */
export const readyEventSchema = z.looseObject({
  type: z.literal('ready'),
  protocolVersion: z.string(),
  sessionId: z.string(),
  /** Id of the newest event in the session's log when the stream opened (0 when empty). */
  lastEventId: z.number().check(z.int(), z.nonnegative()),
});

/** A turn started. Carries the user's input so every subscriber can show it. */
export const processingEventSchema = z.looseObject({
  type: z.literal('processing'),
  turnId: z.string(),
  /** Id the assistant's message of this turn will have. */
  assistantMessageId: z.string(),
  /** The user's message, when the turn was started by text (absent when resumed by approvals). */
  userMessage: z.optional(
    z.looseObject({
      id: z.string(),
      text: z.string(),
      createdAt: z.optional(z.number()),
      /** Files sent with the message. */
      attachments: z.optional(z.array(attachmentSchema)),
    }),
  ),
});

/** A delta of the assistant's visible answer (markdown). */
export const assistantChunkEventSchema = z.looseObject({
  type: z.literal('assistant_chunk'),
  messageId: z.string(),
  delta: z.string(),
});

/** The current run of assistant text is complete (a tool call or the turn's end follows). */
export const assistantStreamEndEventSchema = z.looseObject({
  type: z.literal('assistant_stream_end'),
  messageId: z.string(),
});

/** A delta of the model's reasoning. */
export const thinkingChunkEventSchema = z.looseObject({
  type: z.literal('thinking_chunk'),
  messageId: z.string(),
  delta: z.string(),
});

/** The current thinking block is complete. */
export const thinkingEndEventSchema = z.looseObject({
  type: z.literal('thinking_end'),
  messageId: z.string(),
  /** Provider signature of the block (Anthropic `signature_delta`), kept for history. */
  signature: z.optional(z.string()),
});

/** The assistant called a tool; it runs now unless an `approval_required` follows. */
export const toolCallEventSchema = z.looseObject({
  type: z.literal('tool_call'),
  messageId: z.string(),
  toolCallId: z.string(),
  name: z.string(),
  input: z.unknown(),
});

/** A tool call finished: its output, or an error (`isError`). */
export const toolOutputEventSchema = z.looseObject({
  type: z.literal('tool_output'),
  toolCallId: z.string(),
  /** A string or JSON value. Untrusted. */
  output: z.unknown(),
  isError: z._default(z.boolean(), false),
});

/**
 * The turn waits for the user's decision on one or more tool calls. A chat
 * stream ends here; the turn resumes when `POST {base}/chat/:id` brings `{approvals}`.
 */
export const approvalRequiredEventSchema = z.looseObject({
  type: z.literal('approval_required'),
  turnId: z.string(),
  messageId: z.string(),
  tools: z.array(pendingApprovalSchema).check(z.minLength(1)),
});

/** A tool call changed state (approved, rejected, edited, running, ...). */
export const toolStateChangeEventSchema = z.looseObject({
  type: z.literal('tool_state_change'),
  toolCallId: z.string(),
  state: toolCallStateSchema,
  /** The input the tool will run with, when the user edited it. */
  input: z.optional(z.unknown()),
  /** The user's feedback on a rejection. */
  feedback: z.optional(z.string()),
});

/** Progress of a research sub-agent running inside a tool call. */
export const toolLogEventSchema = z.looseObject({
  type: z.literal('tool_log'),
  toolCallId: z.string(),
  agent: z.omit(researchAgentSchema, { steps: true }),
});

/** Token usage and cost: of the last model call (`step`) or the whole turn (`turn`), and cumulative for the session. */
export const usageEventSchema = z.looseObject({
  type: z.literal('usage'),
  scope: z.enum(['step', 'turn']),
  model: z.optional(z.string()),
  usage: usageTotalsSchema,
  /** Totals for the session so far, this event included. */
  cumulative: usageTotalsSchema,
});

/** The session has a (new) title. */
export const titleEventSchema = z.looseObject({
  type: z.literal('title'),
  title: z.string(),
});

/** Older history was summarised to save context. Token counts are estimates of the prompt size. */
export const compactedEventSchema = z.looseObject({
  type: z.literal('compacted'),
  tokensBefore: z.number().check(z.int(), z.nonnegative()),
  tokensAfter: z.number().check(z.int(), z.nonnegative()),
  /** The conversation after compaction. */
  messages: z.optional(z.array(chatMessageSchema)),
});

/**
 * The whole conversation at the event's id: sent instead of a replay when a
 * client subscribes without a cursor, or resumes from further back than the log keeps.
 */
export const snapshotEventSchema = z.looseObject({
  type: z.literal('snapshot'),
  ...conversationFields,
});

/** The turn ended normally. */
export const turnCompleteEventSchema = z.looseObject({
  type: z.literal('turn_complete'),
  turnId: z.string(),
  /** Why the model stopped, e.g. `end_turn`, `max_tokens`, `max_iterations`. */
  stopReason: z.string(),
});

/** The turn failed, or a request could not be served. */
export const errorEventSchema = z.looseObject({
  type: z.literal('error'),
  /** Stable machine-readable code, e.g. `agent_error`, `overloaded`, `turn_lost`. */
  code: z.string(),
  message: z.string(),
  /** Whether sending the same input again may succeed. */
  retryable: z._default(z.boolean(), false),
  turnId: z.optional(z.string()),
});

/** The turn was stopped by `POST {base}/interrupt/:id`. */
export const interruptedEventSchema = z.looseObject({
  type: z.literal('interrupted'),
  turnId: z.string(),
});

/** The session (or the server) is shutting down; no more events will come on this stream. */
export const shutdownEventSchema = z.looseObject({
  type: z.literal('shutdown'),
  reason: z.optional(z.string()),
});

export const agentEventSchema = z.discriminatedUnion('type', [
  readyEventSchema,
  processingEventSchema,
  assistantChunkEventSchema,
  assistantStreamEndEventSchema,
  thinkingChunkEventSchema,
  thinkingEndEventSchema,
  toolCallEventSchema,
  toolOutputEventSchema,
  approvalRequiredEventSchema,
  toolStateChangeEventSchema,
  toolLogEventSchema,
  usageEventSchema,
  titleEventSchema,
  compactedEventSchema,
  snapshotEventSchema,
  turnCompleteEventSchema,
  errorEventSchema,
  interruptedEventSchema,
  shutdownEventSchema,
]);

/** Any event of the protocol, discriminated on `type`. */
export type AgentEvent = z.infer<typeof agentEventSchema>;
/** The names of all event types. */
export type AgentEventType = AgentEvent['type'];
/** The event of a given type, e.g. `EventOf<'tool_call'>`. */
export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

export type ReadyEvent = EventOf<'ready'>;
export type ProcessingEvent = EventOf<'processing'>;
export type AssistantChunkEvent = EventOf<'assistant_chunk'>;
export type ToolCallEvent = EventOf<'tool_call'>;
export type ToolOutputEvent = EventOf<'tool_output'>;
export type ApprovalRequiredEvent = EventOf<'approval_required'>;
export type ToolLogEvent = EventOf<'tool_log'>;
export type UsageEvent = EventOf<'usage'>;
export type SnapshotEvent = EventOf<'snapshot'>;
export type ErrorEvent = EventOf<'error'>;

/**
 * Validates one decoded JSON value against the protocol, strictly: every
 * nested field, enum value, integer and range (what `decodeAgentEvent` from
 * `@agent-chat/core` checks is the JSON type of each field only).
 * Returns `undefined` for an event type this version does not know (to be
 * ignored, so old clients survive new servers); throws zod's `$ZodError`
 * (`issues` lists each problem with its path) for a known type with invalid fields.
 *
 * Pass it as `new ChatClient({ endpoint, decodeEvent: parseAgentEvent })` to
 * validate a stream strictly (its errors then reach you as `ProtocolError`s with the `$ZodError` as `cause`).
 */
export function parseAgentEvent(value: unknown): AgentEvent | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(AGENT_EVENT_TYPES as readonly string[]).includes(type)) {
    return undefined;
  }
  return agentEventSchema.parse(value);
}
