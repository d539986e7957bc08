import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini installs no messages (every issue reads "Invalid input"), whereas
// classic zod installs English on import. Install the same English messages
// unless the app chose a locale already, so validation errors read the same
// whether or not classic zod is loaded too.
if (!z.config().localeError) z.config(en());

/**
 * The conversation view model: what `reduce()` builds from events, what
 * `GET {base}/session/:id/messages` returns and what a `snapshot` event carries.
 * The widget, the React hook and the server's history all hold this one shape.
 *
 * Objects are `z.looseObject` so that fields added by a newer server pass
 * through an older client untouched.
 */

/** Token counts (tokens) and cost (USD) of one model call, one turn or a whole session. */
export const usageTotalsSchema = z.looseObject({
  inputTokens: z.number().check(z.int(), z.nonnegative()),
  outputTokens: z.number().check(z.int(), z.nonnegative()),
  cacheReadTokens: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  cacheWriteTokens: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  /** Cost in US dollars, from the server's price table for the model. */
  costUsd: z._default(z.number().check(z.nonnegative()), 0),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** Markdown text written by the user or the assistant. */
export const textPartSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  /** `streaming` while chunks still arrive, `done` after `assistant_stream_end` or the turn's end. */
  state: z.enum(['streaming', 'done']),
});
export type TextPart = z.infer<typeof textPartSchema>;

/** The model's reasoning (extended thinking); shown apart from the answer and collapsed when done. */
export const thinkingPartSchema = z.looseObject({
  type: z.literal('thinking'),
  text: z.string(),
  state: z.enum(['streaming', 'done']),
  /** Opaque signature the model provider needs to accept the block back in history (Anthropic). */
  signature: z.optional(z.string()),
});
export type ThinkingPart = z.infer<typeof thinkingPartSchema>;

/** Progress of one research sub-agent working for a tool call (from `tool_log` events). */
export const researchAgentSchema = z.looseObject({
  agentId: z.string(),
  label: z.string(),
  status: z.enum(['running', 'done', 'error']),
  /** What the sub-agent is doing now, e.g. "Reading docs/setup.md". */
  step: z.optional(z.string()),
  /** The last few steps, oldest first. */
  steps: z._default(z.array(z.string()), []),
  toolCount: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  tokens: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  /** Time since the sub-agent started, in milliseconds, as of its last event. */
  elapsedMs: z._default(z.number().check(z.nonnegative()), 0),
});
export type ResearchAgent = z.infer<typeof researchAgentSchema>;

/**
 * Lifecycle of a tool call:
 * `awaiting_approval` -> (`approved` -> `running` | `rejected`); `running` -> `done` | `error`;
 * `interrupted` when the turn stopped before the tool finished.
 */
export const toolCallStateSchema = z.enum([
  'running',
  'awaiting_approval',
  'approved',
  'rejected',
  'done',
  'error',
  'interrupted',
]);
export type ToolCallState = z.infer<typeof toolCallStateSchema>;

/** One tool call by the assistant, with its input, state and output. */
export const toolCallPartSchema = z.looseObject({
  type: z.literal('tool_call'),
  toolCallId: z.string(),
  /** Tool name as the agent registered it. */
  name: z.string(),
  /** The input the tool runs with (after any edit by the user). */
  input: z.unknown(),
  /** The input the model proposed, kept when the user edited it before approving. */
  originalInput: z.optional(z.unknown()),
  state: toolCallStateSchema,
  /** Tool result: a string or JSON value. Untrusted: render as text. */
  output: z.optional(z.unknown()),
  isError: z.optional(z.boolean()),
  /** The user's feedback when rejecting, also sent to the model as the tool result. */
  feedback: z.optional(z.string()),
  /** Research sub-agents reporting under this call, in order of first appearance. */
  agents: z.optional(z.array(researchAgentSchema)),
});
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;

export const messagePartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  thinkingPartSchema,
  toolCallPartSchema,
]);
/** An ordered piece of a message: text, thinking or a tool call. */
export type MessagePart = z.infer<typeof messagePartSchema>;

/**
 * A file the user attached to a message (`POST {base}/session/:id/attachments`
 * answers one). The bytes are at `GET {base}/session/:id/attachments/:id`,
 * for the session's owner only.
 */
export const attachmentSchema = z.looseObject({
  /** Server-generated id; send it in `POST {base}/chat/:id` `{attachments: [id]}`. */
  id: z.string(),
  /** The file's name as uploaded (display only; never a path on the server). */
  name: z.string(),
  /** The media type the server detected from the bytes, e.g. `image/png`. */
  mediaType: z.string(),
  /** Size in bytes. */
  size: z.number().check(z.int(), z.nonnegative()),
  /** Image width in pixels (images only). */
  width: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** Image height in pixels (images only). */
  height: z.optional(z.number().check(z.int(), z.nonnegative())),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const chatMessageSchema = z.looseObject({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  parts: z.array(messagePartSchema),
  /** The turn that produced this message. */
  turnId: z.optional(z.string()),
  /** Creation time, milliseconds since the Unix epoch. */
  createdAt: z.optional(z.number()),
  /** True for a message that stands for older history folded into a summary by compaction. */
  summary: z.optional(z.boolean()),
  /**
   * True on an assistant answer cut short: its turn was stopped (`interrupted`,
   * or the server's `shutdown`) before it finished. Set by `reduce()`, so it
   * is in the server's history too and survives a reload.
   */
  interrupted: z.optional(z.boolean()),
  /** Files the user attached (user messages only), in the order sent. */
  attachments: z.optional(z.array(attachmentSchema)),
});
/** One message of the conversation: the user's input or the assistant's whole answer to it. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A tool call waiting for the user's decision. */
export const pendingApprovalSchema = z.looseObject({
  toolCallId: z.string(),
  name: z.string(),
  /** The input the model proposed; the user may edit it before approving. */
  input: z.unknown(),
  /** JSON Schema (2020-12) of the tool's input, so a client can validate an edit. */
  inputSchema: z.optional(z.record(z.string(), z.unknown())),
  /** Why approval is needed, for display. */
  reason: z.optional(z.string()),
});
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;
