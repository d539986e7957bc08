import type { AgentEvent, SequencedEvent } from '@agent-chat/core';

/** Receives a session's events in id order, each exactly once. */
export type EventListener = (event: SequencedEvent) => void;

/**
 * A session's append-only event log: the single source of truth for its turns.
 * Ids are per log, start at 1 and strictly increase. Stores other than memory
 * (SQLite, Redis Streams) implement the same contract.
 */
export interface EventLog {
  /** Id of the newest event (0 when empty). */
  readonly lastId: number;
  /** Stores the event and fans it out to subscribers. Returns it with its id. */
  append(event: AgentEvent): SequencedEvent;
  /** Every stored event with an id above `afterId`, oldest first. */
  readAfter(afterId: number): SequencedEvent[];
  /**
   * Delivers every event with an id above `afterId` (the replay), then each new
   * one as it is appended (the live tail), in order, with no gap and no duplicate,
   * even when an append happens while the replay runs (for example from inside the
   * listener). A listener that throws is unsubscribed; the error never reaches the
   * appender.
   *
   * @returns A function that stops delivery; safe to call more than once.
   */
  subscribe(afterId: number, listener: EventListener): () => void;
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
}

/** The in-process {@link EventLog}: keeps every event of the session in an array. */
export class MemoryEventLog implements EventLog {
  readonly #events: SequencedEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #onListenerError: ((error: unknown) => void) | undefined;

  constructor(options: MemoryEventLogOptions = {}) {
    this.#onListenerError = options.onListenerError;
  }

  get lastId(): number {
    return this.#events.length;
  }

  append(event: AgentEvent): SequencedEvent {
    const sequenced: SequencedEvent = { id: this.#events.length + 1, event };
    this.#events.push(sequenced);
    for (const subscriber of [...this.#subscribers]) this.#drain(subscriber);
    return sequenced;
  }

  readAfter(afterId: number): SequencedEvent[] {
    return this.#events.slice(Math.max(0, Math.floor(afterId)));
  }

  subscribe(afterId: number, listener: EventListener): () => void {
    const subscriber: Subscriber = {
      listener,
      cursor: Math.min(Math.max(0, Math.floor(afterId)), this.#events.length),
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

  close(): void {
    for (const subscriber of this.#subscribers) subscriber.active = false;
    this.#subscribers.clear();
  }

  /** Delivers everything after the subscriber's cursor; ids equal array positions + 1. */
  #drain(subscriber: Subscriber): void {
    if (subscriber.draining) return;
    subscriber.draining = true;
    try {
      while (subscriber.active && subscriber.cursor < this.#events.length) {
        const next = this.#events[subscriber.cursor]!;
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
