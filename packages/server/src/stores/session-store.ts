import type { AgentEvent, ConversationState } from '@agent-chat/core';
import type { EventLog } from '../sessions/event-log.js';
import type { SessionRecord } from '../sessions/session-record.js';

/** A value now, or later from a store that talks to a network. */
export type MaybePromise<T> = T | Promise<T>;

export type { SessionRecord } from '../sessions/session-record.js';

/** The limits `create` enforces atomically with the insert. */
export interface SessionLimits {
  /** Most sessions in the store. */
  maxSessions: number;
  /** Most sessions of one user in the store. */
  maxSessionsPerUser: number;
}

/**
 * Why `create` refused: the store is full, the user has as many sessions as
 * allowed, or a session with the record's id exists (an id a client chose).
 */
export type CreateRefusal = 'too_many_sessions' | 'session_limit' | 'session_exists';

/** What every event log of a store is told. */
export interface EventLogHooks {
  /** A subscriber threw (it has been unsubscribed). */
  onListenerError(error: unknown): void;
  /**
   * The log of this session stopped following the shared one (a store shared
   * by several processes): this process may not write it any more, or fell
   * too far behind. The session must be dropped from memory (it is loaded
   * afresh on the next request).
   */
  onDetached?(sessionId: string): void;
}

/** A stored session brought back into this process. */
export interface LoadedSession {
  record: SessionRecord;
  /** The conversation as of its last checkpoint (`state.lastEventId`); empty for a new session. */
  state: ConversationState;
  /** The session's log: every event after `state.lastEventId` is in it (older ones may be too). */
  log: EventLog;
}

/**
 * Where sessions live: their metadata, their conversation and their event log.
 *
 * The process keeps each session it serves in memory (its reduced state and
 * a window of its log, see {@link EventLog}) and the store persists them:
 * every appended event goes to the store as it is appended (write-behind for
 * network stores, so a turn never waits on I/O per event), and the reduced
 * conversation is checkpointed whenever the session settles (a turn ends or
 * waits for approval, a title, an undo...). A session is loaded from its
 * checkpoint plus the events after it.
 *
 * Implementations: {@link memoryStore} (default), `sqliteStore` from
 * `@agent-chat/server/sqlite`, `redisStore` from `@agent-chat/server/redis`.
 */
export interface SessionStore {
  /** `memory`, `sqlite`, `redis`: for messages. */
  readonly kind: string;
  /** Whether sessions outlive the process. An idle durable session is unloaded from memory, not deleted. */
  readonly durable: boolean;
  /**
   * Inserts a new session unless a limit is reached or its id is taken,
   * atomically (no two processes can both take the last slot, or one id).
   * @returns The new session's empty log, or why it was refused.
   */
  create(record: SessionRecord, limits: SessionLimits, hooks: EventLogHooks): MaybePromise<EventLog | CreateRefusal>;
  /** Loads a session this process does not hold. `undefined` when there is none. */
  load(id: string, hooks: EventLogHooks): MaybePromise<LoadedSession | undefined>;
  /** A user's sessions, newest first. */
  list(userId: string): MaybePromise<SessionRecord[]>;
  /** Sessions in the store. */
  count(): MaybePromise<number>;
  /** Persists changed metadata (model, title...). Never throws; failures are logged by the store. */
  update(record: SessionRecord): void;
  /**
   * Persists the conversation as of `state.lastEventId`, then applies the
   * retention policy (older events may be trimmed from `log` and from the
   * store). Called by the process that writes the session, when it settles.
   */
  checkpoint(record: SessionRecord, state: ConversationState, log: EventLog): void;
  /** Deletes a session and its log. */
  delete(id: string): MaybePromise<void>;
  /** The process stopped serving this session (deleted or unloaded): drop what the store holds for it. */
  forget(id: string): void;
  /** Flushes pending writes and closes connections. */
  close(): Promise<void>;
}

/** The `error` event that ends a turn whose process stopped before the turn did. */
export function turnLostEvent(turnId: string | undefined): AgentEvent {
  return {
    type: 'error',
    code: 'turn_lost',
    message: 'The server that was running this turn stopped before it ended. Send your message again.',
    retryable: true,
    ...(turnId !== undefined ? { turnId } : {}),
  };
}
