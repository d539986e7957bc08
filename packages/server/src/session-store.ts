import type { AgentEvent, ApprovalDecision, ConversationState } from '@agent-chat/core';
import type { ChatErrorCode, ErrorIssue } from './chat-error.js';
import type { EventLog } from './event-log.js';
import type { Session } from './session.js';
import type { SessionRecord } from './session-record.js';

/** A value now, or later from a store that talks to a network. */
export type MaybePromise<T> = T | Promise<T>;

export type { SessionRecord } from './session-record.js';

/** The limits `create` enforces atomically with the insert. */
export interface SessionLimits {
  /** Most sessions in the store. */
  maxSessions: number;
  /** Most sessions of one user in the store. */
  maxSessionsPerUser: number;
}

/** Why `create` refused: the store is full, or the user has as many sessions as allowed. */
export type CreateRefusal = 'too_many_sessions' | 'session_limit';

/** What every event log of a store is told. */
export interface EventLogHooks {
  /** A subscriber threw (it has been unsubscribed). */
  onListenerError(error: unknown): void;
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
   * Inserts a new session unless a limit is reached, atomically (no two
   * processes can both take the last slot).
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
  /** Present when several processes share the store (Redis). */
  readonly cluster?: SessionCluster;
}

/** A request that only the process running a session's turn can serve. */
export type ClusterCommand =
  | { kind: 'approvals'; approvals: ApprovalDecision[] }
  | { kind: 'interrupt' }
  | { kind: 'append'; event: AgentEvent }
  /** Whether the writer still works on the session, and its last event id: `{ busy: boolean; lastId: number }`. */
  | { kind: 'status' };

/** The answer to a {@link ClusterCommand}: a value, or the refusal (a `ChatError`'s code and details; no HTTP status). */
export type ClusterReply =
  | { ok: true; value?: unknown }
  | {
      ok: false;
      error: {
        code: ChatErrorCode;
        message: string;
        issues?: ErrorIssue[];
        /** For a retryable refusal (`owner_unreachable`): when to try again, in seconds. */
        retryAfterSeconds?: number;
      };
    };

/** Something every process must hear about. */
export type ClusterNotice =
  | { kind: 'shutdown_streams'; sessionId: string; reason: string }
  | { kind: 'deleted'; sessionId: string }
  | { kind: 'model'; sessionId: string; model: string };

/** What the session manager offers the cluster. */
export interface ClusterHost {
  /** The session if this process holds it. */
  local(id: string): Session | undefined;
  /** Every session held by this process. */
  loaded(): Iterable<Session>;
  /** Serves a command forwarded by another process. */
  command(session: Session, command: ClusterCommand): ClusterReply;
  /** Applies a notice (from any process, this one too). */
  notice(notice: ClusterNotice): void;
  /** The writer of a session mid-turn is gone: end the turn with `turn_lost`. */
  recover(session: Session): Promise<void>;
  /** This process's copy of a session cannot follow the shared log any more: drop it (it reloads on the next request). */
  unload(session: Session): void;
  logger: Pick<Console, 'warn' | 'error'>;
}

/**
 * Coordination of processes that share a store. One process at a time
 * writes a session's log (it holds the session's lease, with a heartbeat);
 * the others follow the shared log and forward what only the writer can do.
 */
export interface SessionCluster {
  /** Connects the session manager; called once. */
  attach(host: ClusterHost): void;
  /** Brings this process's copy of the session up to date with the shared log. */
  sync(session: Session): Promise<void>;
  /** Makes this process the session's writer (after a `sync`). False when another process is. */
  acquire(session: Session): Promise<boolean>;
  /** Whether this process holds the session's lease (it is the session's writer). */
  holds(sessionId: string): boolean;
  /** Gives the session's lease up (after its log is flushed). Safe when not held. */
  release(session: Session): void;
  /**
   * Runs a command on the session's writer. `undefined` when no process writes
   * it; an error reply `owner_unreachable` (with `retryAfterSeconds`) when
   * one holds the lease but does not answer (dead, or stalled) in time.
   */
  forward(sessionId: string, command: ClusterCommand): Promise<ClusterReply | undefined>;
  /** Tells every process, this one included. */
  broadcast(notice: ClusterNotice): Promise<void>;
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
