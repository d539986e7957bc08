import type { AgentEvent } from './schemas/events.js';

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

export {
  AGENT_EVENT_TYPES,
  EVENT_TRAITS,
  TERMINAL_EVENT_TYPES,
  eventTypesWith,
  type EventTraits,
  type EventTypeWith,
  type EventTypeWithout,
} from './event-table.js';

/** An event as stored in a session's log and sent as one SSE frame: the event and its sequence number. */
export interface SequencedEvent<E extends AgentEvent = AgentEvent> {
  /** Per-session, strictly increasing, starting at 1. The SSE `id:` field. */
  id: number;
  event: E;
}
