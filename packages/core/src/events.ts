import type { AgentEvent, AgentEventType } from './schemas/events.js';

// The types come from the zod schemas (`@agent-chat/core/schemas`), by type
// only: nothing of zod reaches a bundle that imports this entry.
export type {
  AgentEvent,
  AgentEventType,
  ApprovalRequiredEvent,
  AssistantChunkEvent,
  ErrorEvent,
  EventOf,
  ProcessingEvent,
  ReadyEvent,
  SnapshotEvent,
  ToolCallEvent,
  ToolLogEvent,
  ToolOutputEvent,
  UsageEvent,
} from './schemas/events.js';

/**
 * Version of the event vocabulary, sent in every `ready` event.
 * Minor additions (new optional fields, new event types) keep the major number:
 * consumers ignore what they do not know.
 */
export const PROTOCOL_VERSION = '1.0';

/** Every event type name, in protocol order (the order of `agentEventSchema`'s options; a test holds them equal). */
export const AGENT_EVENT_TYPES: readonly AgentEventType[] = [
  'ready',
  'processing',
  'assistant_chunk',
  'assistant_stream_end',
  'thinking_chunk',
  'thinking_end',
  'tool_call',
  'tool_output',
  'approval_required',
  'tool_state_change',
  'tool_log',
  'usage',
  'title',
  'compacted',
  'snapshot',
  'turn_complete',
  'error',
  'interrupted',
  'shutdown',
];

/** Event types after which a stream opened by a chat POST ends. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<AgentEventType> = new Set([
  'turn_complete',
  'approval_required',
  'error',
  'interrupted',
  'shutdown',
]);

/** An event as stored in a session's log and sent as one SSE frame: the event and its sequence number. */
export interface SequencedEvent<E extends AgentEvent = AgentEvent> {
  /** Per-session, strictly increasing, starting at 1. The SSE `id:` field. */
  id: number;
  event: E;
}
