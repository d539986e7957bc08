/**
 * What an event type means beyond its fields. A trait left out of a row is false.
 */
export interface EventTraits {
  /** A stream opened by a chat POST ends after it (`TERMINAL_EVENT_TYPES`). */
  readonly terminal?: true;
  /** The running turn is over (not paused for an approval, not merely cut off from this stream). */
  readonly endsTurn?: true;
  /** The session may be settled after it: its state checkpointed and, once idle, its lease released. */
  readonly settling?: true;
  /** Only the server emits it: an agent that yields it is ignored (the runner owns it). */
  readonly serverOnly?: true;
  /** Carries the turn's assistant `messageId` (the runner fills it in when an agent leaves it out). */
  readonly messageId?: true;
  /** A `delta` of one message: consecutive chunks concatenate without changing the reduced state. */
  readonly chunk?: true;
}

/**
 * The event vocabulary in one table: every event type of the protocol, in
 * protocol order (the order of `agentEventSchema`'s options), with its traits.
 * Every list of event types in core and server derives from it;
 * event-table.test.ts holds it equal to the zod schemas' union, by type and at runtime.
 */
export const EVENT_TRAITS = {
  ready: { serverOnly: true },
  processing: { serverOnly: true },
  assistant_chunk: { messageId: true, chunk: true },
  assistant_stream_end: { messageId: true },
  thinking_chunk: { messageId: true, chunk: true },
  thinking_end: { messageId: true },
  tool_call: { messageId: true },
  tool_output: {},
  approval_required: { terminal: true, settling: true, serverOnly: true, messageId: true },
  tool_state_change: {},
  tool_log: {},
  usage: {},
  title: { settling: true },
  compacted: { settling: true, serverOnly: true },
  snapshot: { settling: true, serverOnly: true },
  turn_complete: { terminal: true, endsTurn: true, settling: true },
  error: { terminal: true, endsTurn: true, settling: true, serverOnly: true },
  interrupted: { terminal: true, endsTurn: true, settling: true, serverOnly: true },
  shutdown: { terminal: true, serverOnly: true },
} as const satisfies Readonly<Record<string, EventTraits>>;

// The types below spell out `keyof typeof EVENT_TRAITS` (rather than a local alias) so that the
// published declarations name only exported things.

/** The event types that have `trait`, e.g. `EventTypeWith<'chunk'>` is `'assistant_chunk' | 'thinking_chunk'`. */
export type EventTypeWith<K extends keyof EventTraits> = {
  [T in keyof typeof EVENT_TRAITS]: (typeof EVENT_TRAITS)[T] extends Record<K, true> ? T : never;
}[keyof typeof EVENT_TRAITS];
/** The event types that lack `trait`, e.g. `EventTypeWithout<'serverOnly'>`: what an agent may yield. */
export type EventTypeWithout<K extends keyof EventTraits> = Exclude<keyof typeof EVENT_TRAITS, EventTypeWith<K>>;

/** Every event type name, in protocol order. */
export const AGENT_EVENT_TYPES = Object.keys(EVENT_TRAITS) as readonly (keyof typeof EVENT_TRAITS)[];

/** The event types that have `trait`, in protocol order. */
export function eventTypesWith<K extends keyof EventTraits>(trait: K): readonly EventTypeWith<K>[] {
  return AGENT_EVENT_TYPES.filter((type): type is EventTypeWith<K> => (EVENT_TRAITS[type] as EventTraits)[trait] === true);
}

/** Event types after which a stream opened by a chat POST ends. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<keyof typeof EVENT_TRAITS> = new Set(eventTypesWith('terminal'));
