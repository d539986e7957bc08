import type { ConversationState } from '@agent-chat/core';
import { MemoryEventLog, type EventLog } from '../sessions/event-log.js';
import type { CreateRefusal, EventLogHooks, SessionLimits, SessionRecord, SessionStore } from './session-store.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Events each session keeps once a turn has ended, newest first; older ones
   * are dropped and a client resuming from before them gets a `snapshot`.
   * Default 1 000; `Infinity` keeps everything.
   */
  retainEvents?: number;
}

/** Default of `retainEvents` in every store. */
export const DEFAULT_RETAIN_EVENTS = 1_000;

/**
 * The default {@link SessionStore}: everything in this process's memory,
 * nothing survives a restart, no set-up.
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const retain = options.retainEvents ?? DEFAULT_RETAIN_EVENTS;
  const records = new Map<string, SessionRecord>();
  return {
    kind: 'memory',
    durable: false,
    create(record: SessionRecord, limits: SessionLimits, hooks: EventLogHooks): EventLog | CreateRefusal {
      if (records.has(record.id)) return 'session_exists';
      if (records.size >= limits.maxSessions) return 'too_many_sessions';
      let own = 0;
      for (const other of records.values()) if (other.userId === record.userId) own += 1;
      if (own >= limits.maxSessionsPerUser) return 'session_limit';
      records.set(record.id, record);
      return new MemoryEventLog({ onListenerError: hooks.onListenerError });
    },
    // Sessions live in the session manager for as long as they exist.
    load: () => undefined,
    list: (userId) => [...records.values()].filter((r) => r.userId === userId).reverse().sort((a, b) => b.createdAt - a.createdAt),
    count: () => records.size,
    update(record) {
      if (records.has(record.id)) records.set(record.id, record);
    },
    checkpoint(record: SessionRecord, state: ConversationState, log: EventLog) {
      if (records.has(record.id)) records.set(record.id, record);
      trimLog(log, state, retain);
    },
    delete(id) {
      records.delete(id);
    },
    forget() {},
    async close() {},
  };
}

/**
 * Keeps the newest `retain` events of `log`, never one after the checkpoint
 * `state`, and always the newest.
 * @returns The id of the last event dropped so far (`log.firstId - 1`).
 */
export function trimLog(log: EventLog, state: ConversationState, retain: number): number {
  if (Number.isFinite(retain)) {
    const upTo = Math.min(state.lastEventId, log.lastId - Math.max(0, Math.floor(retain)));
    if (upTo >= log.firstId) log.trim(upTo);
  }
  return log.firstId - 1;
}
