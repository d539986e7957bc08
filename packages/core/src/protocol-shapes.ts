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
import type { Attachment } from './messages.js';
import { ProtocolError } from './protocol-error.js';
import { EVENT_SHAPES, RESPONSE_SHAPES, type ResponseName } from './protocol-shapes.generated.js';
import { decodeShape } from './shape.js';

/*
 * The protocol's events and JSON answers as light shapes (see shape.ts): what
 * ChatClient checks on the wire. protocol-shapes.generated.ts derives them
 * from the zod schemas of `@agent-chat/core/schemas` at build time; this file
 * gives them their types and the two decoders.
 */

export { EVENT_SHAPES, RESPONSE_SHAPES };

/** The JSON answers ChatClient reads, by name. */
export interface ResponseTypes extends Record<ResponseName, unknown> {
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
  attachment: Attachment;
}

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
