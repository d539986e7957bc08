import type {
  CompactResult,
  ErrorBody,
  Health,
  InterruptResult,
  LlmHealth,
  ModelConfig,
  SessionInfo,
  SessionList,
  SessionMessages,
  ShutdownResult,
  TitleResult,
} from './api.js';
import type { AgentEvent, AgentEventType } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { arrayOf, decodeShape, oneOf, optional, withDefault, type ObjectShape } from './shape.js';

/*
 * The protocol's events and JSON answers as light shapes (see shape.ts): what
 * ChatClient checks on the wire. They mirror the zod schemas of
 * `@agent-chat/core/schemas` field for field; protocol-shapes.test.ts derives
 * them from those schemas and fails, printing the table to paste here, when
 * the two drift apart.
 */

const USAGE_TOTALS = {
  inputTokens: 'n',
  outputTokens: 'n',
  cacheReadTokens: withDefault('n', 0),
  cacheWriteTokens: withDefault('n', 0),
  costUsd: withDefault('n', 0),
};

/** A research sub-agent as `tool_log` reports it (without the step history the reducer keeps). */
const AGENT_PROGRESS = {
  agentId: 's',
  label: 's',
  status: 's',
  step: optional('s'),
  toolCount: withDefault('n', 0),
  tokens: withDefault('n', 0),
  elapsedMs: withDefault('n', 0),
};

const PENDING_APPROVAL = { toolCallId: 's', name: 's', input: '*', inputSchema: optional('o'), reason: optional('s') };

const CHAT_MESSAGE = {
  id: 's',
  role: 's',
  parts: arrayOf(
    oneOf('type', {
      text: { text: 's', state: 's' },
      thinking: { text: 's', state: 's', signature: optional('s') },
      tool_call: {
        toolCallId: 's',
        name: 's',
        input: '*',
        originalInput: optional('*'),
        state: 's',
        output: optional('*'),
        isError: optional('b'),
        feedback: optional('s'),
        agents: optional(arrayOf({ ...AGENT_PROGRESS, steps: withDefault(arrayOf('s'), []) })),
      },
    }),
  ),
  turnId: optional('s'),
  createdAt: optional('n'),
  summary: optional('b'),
  interrupted: optional('b'),
};

/** The conversation as a `snapshot` event and `GET /session/:id/messages` carry it. */
const CONVERSATION = {
  messages: arrayOf(CHAT_MESSAGE),
  pendingApprovals: arrayOf(PENDING_APPROVAL),
  processing: 'b',
  turnId: optional('s'),
  title: optional('s'),
  usage: optional(USAGE_TOTALS),
};

/** Every event's fields but `type`, by type. */
export const EVENT_SHAPES: Readonly<Record<AgentEventType, ObjectShape>> = {
  ready: { protocolVersion: 's', sessionId: 's', lastEventId: 'n' },
  processing: {
    turnId: 's',
    assistantMessageId: 's',
    userMessage: optional({ id: 's', text: 's', createdAt: optional('n') }),
  },
  assistant_chunk: { messageId: 's', delta: 's' },
  assistant_stream_end: { messageId: 's' },
  thinking_chunk: { messageId: 's', delta: 's' },
  thinking_end: { messageId: 's', signature: optional('s') },
  tool_call: { messageId: 's', toolCallId: 's', name: 's', input: '*' },
  tool_output: { toolCallId: 's', output: '*', isError: withDefault('b', false) },
  approval_required: { turnId: 's', messageId: 's', tools: arrayOf(PENDING_APPROVAL) },
  tool_state_change: { toolCallId: 's', state: 's', input: optional('*'), feedback: optional('s') },
  tool_log: { toolCallId: 's', agent: AGENT_PROGRESS },
  usage: { scope: 's', model: optional('s'), usage: USAGE_TOTALS, cumulative: USAGE_TOTALS },
  title: { title: 's' },
  compacted: { tokensBefore: 'n', tokensAfter: 'n', messages: optional(arrayOf(CHAT_MESSAGE)) },
  snapshot: CONVERSATION,
  turn_complete: { turnId: 's', stopReason: 's' },
  error: { code: 's', message: 's', retryable: withDefault('b', false), turnId: optional('s') },
  interrupted: { turnId: 's' },
  shutdown: { reason: optional('s') },
};

const SESSION_INFO = {
  id: 's',
  title: optional('s'),
  model: optional('s'),
  createdAt: 'n',
  updatedAt: 'n',
  processing: 'b',
  awaitingApproval: 'b',
  messageCount: 'n',
  lastEventId: 'n',
};

/** The JSON answers ChatClient reads, by name. */
export interface ResponseTypes {
  health: Health;
  llmHealth: LlmHealth;
  modelConfig: ModelConfig;
  sessionInfo: SessionInfo;
  sessionList: SessionList;
  sessionMessages: SessionMessages;
  interruptResult: InterruptResult;
  titleResult: TitleResult;
  compactResult: CompactResult;
  shutdownResult: ShutdownResult;
  errorBody: ErrorBody;
}

export const RESPONSE_SHAPES: Readonly<Record<keyof ResponseTypes, ObjectShape>> = {
  health: {
    status: 's',
    protocolVersion: 's',
    activeSessions: 'n',
    maxSessions: 'n',
    // A server older than `features` supports nothing beyond the basics.
    features: withDefault(
      { undo: 'b', truncate: 'b', compact: 'b', models: 'b', attachments: 'b' },
      { undo: false, truncate: false, compact: false, models: false, attachments: false },
    ),
  },
  llmHealth: { ok: 'b', model: optional('s'), latencyMs: optional('n'), error: optional('s') },
  modelConfig: {
    model: 'sz',
    models: arrayOf({ id: 's', label: 's', provider: optional('s'), recommended: optional('b') }),
  },
  sessionInfo: SESSION_INFO,
  sessionList: { sessions: arrayOf(SESSION_INFO) },
  sessionMessages: { ...CONVERSATION, lastEventId: 'n' },
  interruptResult: { interrupted: 'b' },
  titleResult: { title: 's' },
  compactResult: { tokensBefore: 'n', tokensAfter: 'n' },
  shutdownResult: { interrupted: 'b' },
  errorBody: {
    error: { code: 's', message: 's', issues: optional(arrayOf({ path: arrayOf('sn'), message: 's' })) },
  },
};

/**
 * Checks a JSON answer of the API against its shape; see {@link decodeShape}.
 *
 * @throws {ProtocolError} naming the first field that does not match.
 */
export function decodeResponse<K extends keyof ResponseTypes>(name: K, value: unknown): ResponseTypes[K] {
  return decodeShape(RESPONSE_SHAPES[name], value) as ResponseTypes[K];
}

/**
 * Checks one decoded JSON value against the protocol, as `ChatClient` does on
 * the wire: each field's JSON type, down to nested objects and arrays, with the
 * schemas' defaults filled in (`tool_output.isError`, `error.retryable`, usage
 * and research-agent counters) and unknown fields kept. Enum members, integers
 * and ranges are not checked: for that, use `parseAgentEvent` from
 * `@agent-chat/core/schemas`, which takes the same arguments.
 *
 * @returns the event, or `undefined` for a type this version does not know
 *   (to be ignored, so old clients survive new servers).
 * @throws {ProtocolError} for a known type with a missing or mistyped field,
 *   naming both: `Invalid tool_log event: agent.toolCount must be a number, got a string`.
 */
export function decodeAgentEvent(value: unknown): AgentEvent | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_SHAPES, type)) return undefined;
  try {
    return decodeShape(EVENT_SHAPES[type as AgentEventType], value) as AgentEvent;
  } catch (error) {
    throw new ProtocolError(`Invalid ${type} event: ${(error as Error).message}`);
  }
}
