import * as z from 'zod/mini';
import { MAX_MESSAGE_LENGTH } from '../limits.js';
import { conversationFields } from './conversation-fields.js';

/**
 * Bodies and answers of the HTTP API (docs/api.md). Request bodies are strict:
 * an unknown field is a 422, so a typo never passes silently. Answers are
 * loose, so an older client reads a newer server.
 */

/** `POST {base}/session` body. */
export const createSessionBodySchema = z.strictObject({
  title: z.optional(z.string().check(z.maxLength(200))),
  model: z.optional(z.string().check(z.maxLength(200))),
});
export type CreateSessionBody = z.infer<typeof createSessionBodySchema>;

/** The user's answer for one pending tool call. */
export const approvalDecisionSchema = z.strictObject({
  toolCallId: z.string().check(z.minLength(1), z.maxLength(200)),
  decision: z.enum(['approve', 'reject']),
  /** Edited input to run the tool with instead of the model's (approve only). */
  input: z.optional(z.unknown()),
  /** Why the call was rejected; sent to the model as the tool result (reject only). */
  feedback: z.optional(z.string().check(z.maxLength(10_000))),
});
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

/**
 * `POST {base}/chat/:id` with text: starts a turn. `attachments` lists ids
 * from `POST {base}/session/:id/attachments`; `text` may be empty when it does.
 */
export const chatTextBodySchema = z
  .strictObject({
    text: z.string().check(z.trim(), z.maxLength(MAX_MESSAGE_LENGTH)),
    attachments: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100))),
  })
  .check(
    z.refine((body) => body.text.length > 0 || (body.attachments?.length ?? 0) > 0, {
      message: 'text must not be empty',
      path: ['text'],
    }),
  );
/** `POST {base}/chat/:id` with approvals: resumes a turn waiting in `approval_required`. */
export const chatApprovalsBodySchema = z.strictObject({
  approvals: z.array(approvalDecisionSchema).check(z.minLength(1), z.maxLength(100)),
});
export const chatBodySchema = z.union([chatTextBodySchema, chatApprovalsBodySchema]);
export type ChatBody = z.infer<typeof chatBodySchema>;

/** What the server tells about a session (`GET {base}/session/:id`, list, create). */
export const sessionInfoSchema = z.looseObject({
  id: z.string(),
  title: z.optional(z.string()),
  model: z.optional(z.string()),
  /** Milliseconds since the Unix epoch. */
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Whether a turn is running (including one waiting for approval). */
  processing: z.boolean(),
  /** Whether the running turn waits for the user's approval. */
  awaitingApproval: z.boolean(),
  messageCount: z.number().check(z.int(), z.nonnegative()),
  /** Id of the newest event in the session's log. */
  lastEventId: z.number().check(z.int(), z.nonnegative()),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const sessionListSchema = z.looseObject({ sessions: z.array(sessionInfoSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;

/** `GET {base}/session/:id/messages`: the conversation as of `lastEventId`; subscribe after it for what follows. */
export const sessionMessagesSchema = z.looseObject({
  ...conversationFields,
  lastEventId: z.number().check(z.int(), z.nonnegative()),
});
export type SessionMessages = z.infer<typeof sessionMessagesSchema>;

/** `POST {base}/interrupt/:id` answer. */
export const interruptResultSchema = z.looseObject({
  /** False when no turn was running. */
  interrupted: z.boolean(),
});
export type InterruptResult = z.infer<typeof interruptResultSchema>;

/** What a server supports, so a client shows only the controls that work. */
export const featuresSchema = z.looseObject({
  /** `POST {base}/undo/:id`. */
  undo: z.boolean(),
  /** `POST {base}/truncate/:id` (edit and regenerate). */
  truncate: z.boolean(),
  /** `POST {base}/compact/:id`. */
  compact: z.boolean(),
  /** Model choice: `GET/POST {base}/config/model` lists at least one model. */
  models: z.boolean(),
  /** File attachments on messages: `POST {base}/session/:id/attachments`; the limits are in `attachmentLimits`. */
  attachments: z.boolean(),
});
export type Features = z.infer<typeof featuresSchema>;

/** The server's limits on attachments (in `/health` when `features.attachments`). */
export const attachmentLimitsSchema = z.looseObject({
  /** Largest file accepted, in bytes. */
  maxFileBytes: z.number().check(z.int(), z.positive()),
  /** Most files one message may carry. */
  maxFilesPerMessage: z.number().check(z.int(), z.positive()),
  /** Most bytes one user may keep stored across their sessions. */
  maxBytesPerUser: z.number().check(z.int(), z.positive()),
  /** Media types accepted (as detected from the bytes), e.g. `image/png`. */
  mediaTypes: z.array(z.string()),
});
export type AttachmentLimits = z.infer<typeof attachmentLimitsSchema>;

/** Features of a server that does not announce them (older than this field): nothing beyond the basics. */
const NO_FEATURES: Features = { undo: false, truncate: false, compact: false, models: false, attachments: false };

/** `GET {base}/health` answer. */
export const healthSchema = z.looseObject({
  status: z.literal('ok'),
  protocolVersion: z.string(),
  activeSessions: z.number().check(z.int(), z.nonnegative()),
  maxSessions: z.number().check(z.int(), z.positive()),
  features: z._default(featuresSchema, NO_FEATURES),
  /** Present when `features.attachments` is true. */
  attachmentLimits: z.optional(attachmentLimitsSchema),
});
export type Health = z.infer<typeof healthSchema>;

/**
 * `GET {base}/health/llm` answer (status 200 when `ok`, 503 when not): whether
 * the model provider answers a minimal probe.
 */
export const llmHealthSchema = z.looseObject({
  ok: z.boolean(),
  /** The model probed. */
  model: z.optional(z.string()),
  /** Round trip of the probe, in milliseconds. */
  latencyMs: z.optional(z.number().check(z.nonnegative())),
  /** Why it is not ok, safe to show. */
  error: z.optional(z.string()),
});
export type LlmHealth = z.infer<typeof llmHealthSchema>;

/** A model the server's agent can run. */
export const modelInfoSchema = z.looseObject({
  /** The provider's model id, e.g. `claude-sonnet-4-5`. */
  id: z.string(),
  /** Name to show. */
  label: z.string(),
  provider: z.optional(z.string()),
  recommended: z.optional(z.boolean()),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** `GET/POST {base}/config/model` answer: the global default model (`null`: the agent's own) and the models to choose from. */
export const modelConfigSchema = z.looseObject({
  model: z.nullable(z.string()),
  models: z.array(modelInfoSchema),
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** `POST {base}/config/model` and `POST {base}/session/:id/model` body. */
export const setModelBodySchema = z.strictObject({
  model: z.string().check(z.trim(), z.minLength(1, 'model must not be empty'), z.maxLength(200)),
});
export type SetModelBody = z.infer<typeof setModelBodySchema>;

/** `POST {base}/title` body: the text to title and, optionally, the session that gets the title. */
export const titleBodySchema = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1, 'text must not be empty'), z.maxLength(MAX_MESSAGE_LENGTH)),
  sessionId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type TitleBody = z.infer<typeof titleBodySchema>;

/** `POST {base}/title` answer. */
export const titleResultSchema = z.looseObject({ title: z.string() });
export type TitleResult = z.infer<typeof titleResultSchema>;

/** `POST {base}/truncate/:id` body. */
export const truncateBodySchema = z.strictObject({
  /** 0-based index among the session's user messages: that message and everything after it are dropped. */
  userMessageIndex: z.number().check(z.int(), z.nonnegative()),
});
export type TruncateBody = z.infer<typeof truncateBodySchema>;

/** `POST {base}/compact/:id` answer. Token counts are estimates (about 4 characters per token) of the history's size. */
export const compactResultSchema = z.looseObject({
  tokensBefore: z.number().check(z.int(), z.nonnegative()),
  tokensAfter: z.number().check(z.int(), z.nonnegative()),
});
export type CompactResult = z.infer<typeof compactResultSchema>;

/** `POST {base}/shutdown/:id` answer. */
export const shutdownResultSchema = z.looseObject({
  /** Whether a running turn was stopped. */
  interrupted: z.boolean(),
});
export type ShutdownResult = z.infer<typeof shutdownResultSchema>;

/** Body of every error answer: `{ "error": { "code", "message", "issues"? } }`. */
export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    /** Stable code, e.g. `invalid_body`, `not_found`, `turn_running`, `payload_too_large`. */
    code: z.string(),
    message: z.string(),
    /** For validation errors: each problem with its path in the body. */
    issues: z.optional(
      z.array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
    ),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
