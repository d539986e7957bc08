import { eventTypesWith } from '@agent-chat/core';
import type { AgentEvent, SequencedEvent } from '@agent-chat/core';

/** Receives a session's events in id order, each exactly once. */
export type EventListener = (event: SequencedEvent) => void;

/**
 * A session's append-only event log: the single source of truth for its turns.
 * Ids are per log, start at 1 and strictly increase by 1. The log may forget
 * its oldest events (retention, see `trim`): a reader that needs events from
 * before `firstId` gets a `snapshot` of the conversation instead.
 *
 * Every method is synchronous on purpose: a turn appends hundreds of events per
 * second and fans them out to its subscribers in the same tick. Durable stores
 * (SQLite, Redis Streams) keep this contract for the process's own view and
 * write behind it (see `session-store.ts`).
 */
export interface EventLog {
  /** Id of the newest event (0 when nothing was ever appended). */
  readonly lastId: number;
  /** Id of the oldest event still kept; `lastId + 1` when none is kept. */
  readonly firstId: number;
  /** Stores the event and fans it out to subscribers. Returns it with its id. */
  append(event: AgentEvent): SequencedEvent;
  /**
   * The kept events with an id above `afterId`, oldest first: all of them, or
   * the first `limit` (a replay reads a long log a batch at a time; a log that
   * ignores `limit` still works, at the cost of a copy per batch).
   */
  readAfter(afterId: number, limit?: number): SequencedEvent[];
  /**
   * Delivers every kept event with an id above `afterId` (the replay), then each
   * new one as it is appended (the live tail), in order, with no gap and no
   * duplicate, even when an append happens while the replay runs (for example
   * from inside the listener). A listener that throws is unsubscribed; the error
   * never reaches the appender. Check `firstId` first: events before it are gone.
   *
   * @returns A function that stops delivery; safe to call more than once.
   */
  subscribe(afterId: number, listener: EventListener): () => void;
  /** Forgets the events with an id up to `upToId` (never the newest one). */
  trim(upToId: number): void;
  /** Drops every subscriber. */
  close(): void;
}

interface Subscriber {
  listener: EventListener;
  /** Id of the last event delivered to this subscriber. */
  cursor: number;
  /** True while `drain` runs for it, so a re-entrant append does not deliver twice. */
  draining: boolean;
  active: boolean;
}

/** Options of {@link MemoryEventLog}. */
export interface MemoryEventLogOptions {
  /** Told about a listener that threw (it has been unsubscribed). */
  onListenerError?: (error: unknown) => void;
  /**
   * Events the log starts with, contiguous and oldest first (a durable store
   * reloading a session). Default none.
   */
  events?: readonly SequencedEvent[];
  /** Id of the last event before `events` (or of the last event, when `events` is empty). Default 0. */
  startAfter?: number;
  /**
   * Called with each appended event before subscribers see it: the write-behind
   * hook of durable stores. It must not throw.
   */
  onAppend?: (event: SequencedEvent) => void;
}

/**
 * Thrown by {@link MemoryEventLog.ingest} for an event that does not follow
 * the log's last id: the shared log moved on without this process.
 */
export class EventLogGapError extends Error {
  readonly code = 'event_log_gap';
  constructor(expected: number, received: number) {
    super(`Expected event ${expected} next but received ${received}; reload the session.`);
    this.name = 'EventLogGapError';
  }
}

/** The in-process {@link EventLog}: keeps the session's events in an array. */
export class MemoryEventLog implements EventLog {
  #events: SequencedEvent[];
  /** Id of the event before `#events[0]`. */
  #offset: number;
  readonly #subscribers = new Set<Subscriber>();
  readonly #onListenerError: ((error: unknown) => void) | undefined;
  readonly #onAppend: ((event: SequencedEvent) => void) | undefined;

  constructor(options: MemoryEventLogOptions = {}) {
    this.#onListenerError = options.onListenerError;
    this.#onAppend = options.onAppend;
    this.#events = options.events ? [...options.events] : [];
    this.#offset = options.events?.[0] ? options.events[0].id - 1 : Math.max(0, options.startAfter ?? 0);
  }

  get lastId(): number {
    return this.#offset + this.#events.length;
  }

  get firstId(): number {
    return this.#offset + 1;
  }

  append(event: AgentEvent): SequencedEvent {
    const sequenced: SequencedEvent = { id: this.lastId + 1, event };
    this.#events.push(sequenced);
    this.#onAppend?.(sequenced);
    for (const subscriber of [...this.#subscribers]) this.#drain(subscriber);
    return sequenced;
  }

  /**
   * Adds an event that another process appended to the shared log (it already
   * has its id), and fans it out. An id at or below `lastId` is a duplicate and
   * is ignored (returns false).
   *
   * @throws {EventLogGapError} when the id is not `lastId + 1`.
   */
  ingest(sequenced: SequencedEvent): boolean {
    if (sequenced.id <= this.lastId) return false;
    if (sequenced.id !== this.lastId + 1) throw new EventLogGapError(this.lastId + 1, sequenced.id);
    this.#events.push(sequenced);
    for (const subscriber of [...this.#subscribers]) this.#drain(subscriber);
    return true;
  }

  readAfter(afterId: number, limit = Infinity): SequencedEvent[] {
    const start = Math.max(0, Math.floor(afterId) - this.#offset);
    return this.#events.slice(start, limit >= this.#events.length ? undefined : start + Math.max(0, Math.floor(limit)));
  }

  subscribe(afterId: number, listener: EventListener): () => void {
    const subscriber: Subscriber = {
      listener,
      // A cursor ahead of `lastId` is allowed: a follower may learn of an id before its event arrives.
      cursor: Math.max(this.#offset, Math.floor(afterId)),
      draining: false,
      active: true,
    };
    this.#subscribers.add(subscriber);
    this.#drain(subscriber);
    return () => {
      subscriber.active = false;
      this.#subscribers.delete(subscriber);
    };
  }

  trim(upToId: number): void {
    const count = Math.min(Math.floor(upToId), this.lastId - 1) - this.#offset;
    if (count <= 0) return;
    this.#events = this.#events.slice(count);
    this.#offset += count;
  }

  close(): void {
    for (const subscriber of this.#subscribers) subscriber.active = false;
    this.#subscribers.clear();
  }

  /** Delivers everything after the subscriber's cursor; ids equal array positions + offset + 1. */
  #drain(subscriber: Subscriber): void {
    if (subscriber.draining) return;
    subscriber.draining = true;
    try {
      while (subscriber.active && subscriber.cursor < this.lastId) {
        // A subscriber left behind by a trim (it never is: delivery is synchronous) resumes at the oldest kept event.
        const next = this.#events[Math.max(0, subscriber.cursor - this.#offset)]!;
        subscriber.cursor = next.id;
        try {
          subscriber.listener(next);
        } catch (error) {
          subscriber.active = false;
          this.#subscribers.delete(subscriber);
          this.#onListenerError?.(error);
        }
      }
    } finally {
      subscriber.draining = false;
    }
  }
}

/** Event types whose consecutive events of one message concatenate (`delta`) without changing the reduced state. */
const CHUNK_TYPES: ReadonlySet<string> = new Set(eventTypesWith('chunk'));

/** True for a plain chunk (`type`, `messageId`, `delta` and nothing else), which can be merged. */
export function isPlainChunk(event: AgentEvent): event is AgentEvent & { type: 'assistant_chunk' | 'thinking_chunk'; messageId: string; delta: string } {
  return CHUNK_TYPES.has(event.type) && Object.keys(event).length === 3 && typeof (event as { delta?: unknown }).delta === 'string';
}

/**
 * Merges each run of consecutive `assistant_chunk` events of one message (and
 * likewise `thinking_chunk`) into one event whose `delta` is the run's text and
 * whose id is the run's LAST id, for a replay: a client that has id N has all
 * text up to N, and a resume from N yields exactly what follows it. Reducing
 * the result gives the same state as reducing the input. Runs of one event, and
 * chunks with fields beyond `type`/`messageId`/`delta`, are returned as they are
 * (the same objects, so their cached frames are reused).
 *
 * @param events Contiguous logged events, oldest first.
 * @returns A new array; the input is not changed.
 */
export function coalesceChunks(events: readonly SequencedEvent[]): SequencedEvent[] {
  const out: SequencedEvent[] = [];
  let i = 0;
  while (i < events.length) {
    const first = events[i]!;
    const head = first.event;
    let j = i + 1;
    if (isPlainChunk(head)) {
      while (j < events.length) {
        const next = events[j]!.event;
        if (next.type !== head.type || !isPlainChunk(next) || next.messageId !== head.messageId) break;
        j++;
      }
    }
    if (j - i === 1) {
      out.push(first);
    } else {
      const deltas: string[] = [];
      for (let k = i; k < j; k++) deltas.push((events[k]!.event as { delta: string }).delta);
      out.push({ id: events[j - 1]!.id, event: { ...head, delta: deltas.join('') } as AgentEvent });
    }
    i = j;
  }
  return out;
}
