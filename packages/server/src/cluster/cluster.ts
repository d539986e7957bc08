import type { AgentEvent, ApprovalDecision } from '@agent-chat/core';
import type { ChatErrorCode, ErrorIssue } from '../chat-error.js';

/** A request that only the process writing a session (running its turn) can serve. */
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

/** What the process's sessions offer the cluster (the session manager implements it). Sessions are named by id. */
export interface ClusterHost {
  /** Runs a command on a session this process holds, as its writer. `undefined` when it holds no such session. */
  command(sessionId: string, command: ClusterCommand): ClusterReply | undefined;
  /** Applies a notice from another process. */
  notice(notice: ClusterNotice): void;
  /** Sessions held here that are mid-turn while no turn runs here: their writer may be gone. */
  midTurn(): Iterable<string>;
  /** The writer of a session mid-turn is gone: end the turn with `turn_lost`. */
  recover(sessionId: string): Promise<void>;
  /** This process may not write the session any more, or its copy cannot follow the shared log: drop the copy (it reloads on the next request) and stop its turn. */
  unload(sessionId: string): void;
  logger: Pick<Console, 'warn' | 'error'>;
}

/**
 * A store that carries the cluster of the processes sharing it (the Redis
 * store's `cluster`); a store of one process carries none. Not part of the
 * published `SessionStore` contract: the cluster is this package's own machinery.
 */
export interface ClusteredStore {
  readonly cluster?: Cluster | undefined;
}

/**
 * Coordination of the processes that serve one store's sessions. One process
 * at a time writes a session's log (it holds the session's lease); the others
 * follow the shared log and have what only the writer can do run there.
 *
 * Implementations: {@link localCluster} (one process: every session is written
 * here) and the Redis one that `redisStore()` carries.
 */
export interface Cluster {
  /** Whether other processes share the sessions. */
  readonly clustered: boolean;
  /** Connects the session manager; called once. */
  attach(host: ClusterHost): void;
  /** Brings this process's copy of the session up to date with the shared log. */
  sync(sessionId: string): Promise<void>;
  /** Makes this process the session's writer (reading the shared log up to its end first). False when another process is. */
  acquire(sessionId: string): Promise<boolean>;
  /** Whether this process is the session's writer. */
  holds(sessionId: string): boolean;
  /** Gives the session's lease up (after its writes are flushed). Safe when not held. */
  release(sessionId: string): void;
  /** This process keeps no copy of the session any more. */
  forget(sessionId: string): void;
  /**
   * Runs a command on the session's writer: here through the host when this
   * process is it, else forwarded to the process that is, whose host runs it.
   * `undefined` when no process writes the session; an error reply
   * `owner_unreachable` (with `retryAfterSeconds`) when one holds the lease
   * but does not answer (dead, or stalled) in time.
   */
  run(sessionId: string, command: ClusterCommand): Promise<ClusterReply | undefined>;
  /** Tells every other process. */
  broadcast(notice: ClusterNotice): Promise<void>;
  /** Gives every lease held back and stops listening. */
  close(): Promise<void>;
}
