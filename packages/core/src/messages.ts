import { z } from 'zod';

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
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative().default(0),
  cacheWriteTokens: z.number().int().nonnegative().default(0),
  /** Cost in US dollars, from the server's price table for the model. */
  costUsd: z.number().nonnegative().default(0),
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
  signature: z.string().optional(),
});
export type ThinkingPart = z.infer<typeof thinkingPartSchema>;

/** Progress of one research sub-agent working for a tool call (from `tool_log` events). */
export const researchAgentSchema = z.looseObject({
  agentId: z.string(),
  label: z.string(),
  status: z.enum(['running', 'done', 'error']),
  /** What the sub-agent is doing now, e.g. "Reading docs/setup.md". */
  step: z.string().optional(),
  /** The last few steps, oldest first. */
  steps: z.array(z.string()).default([]),
  toolCount: z.number().int().nonnegative().default(0),
  tokens: z.number().int().nonnegative().default(0),
  /** Time since the sub-agent started, in milliseconds, as of its last event. */
  elapsedMs: z.number().nonnegative().default(0),
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
  originalInput: z.unknown().optional(),
  state: toolCallStateSchema,
  /** Tool result: a string or JSON value. Untrusted: render as text. */
  output: z.unknown().optional(),
  isError: z.boolean().optional(),
  /** The user's feedback when rejecting, also sent to the model as the tool result. */
  feedback: z.string().optional(),
  /** Research sub-agents reporting under this call, in order of first appearance. */
  agents: z.array(researchAgentSchema).optional(),
});
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;

export const messagePartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  thinkingPartSchema,
  toolCallPartSchema,
]);
/** An ordered piece of a message: text, thinking or a tool call. */
export type MessagePart = z.infer<typeof messagePartSchema>;

export const chatMessageSchema = z.looseObject({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  parts: z.array(messagePartSchema),
  /** The turn that produced this message. */
  turnId: z.string().optional(),
  /** Creation time, milliseconds since the Unix epoch. */
  createdAt: z.number().optional(),
  /** True for a message that stands for older history folded into a summary by compaction. */
  summary: z.boolean().optional(),
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
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  /** Why approval is needed, for display. */
  reason: z.string().optional(),
});
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;
