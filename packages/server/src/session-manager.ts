import { randomUUID } from 'node:crypto';
import type { Agent } from './agent.js';
import { ApiError } from './api-error.js';
import { MemoryEventLog, type EventLog } from './event-log.js';
import { Session } from './session.js';
import type { CompactionOptions } from './session-runner.js';

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  agent: Agent;
  /** Most sessions on this server; past it `create` throws 503 `too_many_sessions`. */
  maxSessions: number;
  /** Most sessions per user; past it `create` throws 429 `session_limit`. */
  maxSessionsPerUser: number;
  /**
   * A session unused for this long, in ms, is deleted and its streams get
   * `shutdown` (`session_expired`). A turn that runs (not one waiting for
   * approval) keeps it alive. 0 turns expiry off. Default 1 hour.
   */
  idleTimeoutMs?: number;
  logger: Pick<Console, 'warn' | 'error'>;
  /** Makes the event log of a new session. Default: {@link MemoryEventLog}. */
  createEventLog?: (sessionId: string) => EventLog;
  /** The server's default model, for sessions that chose none. */
  defaultModel?: () => string | undefined;
  /** Automatic compaction before each turn. */
  compaction?: CompactionOptions;
}

/** Session ids are UUIDs; anything outside this shape is refused before lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Default of {@link SessionManagerOptions.idleTimeoutMs}: one hour. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

/** `Retry-After` when no session is about to expire, in seconds. */
const DEFAULT_RETRY_AFTER_S = 60;

/**
 * The server's sessions, by id, each owned by one user. All access goes
 * through `create`, `get`, `list` and `delete`, so that another store can
 * take the map's place.
 */
export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #options: SessionManagerOptions;
  readonly #idleTimeoutMs: number;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    this.#idleTimeoutMs = Math.max(0, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Creates a session for `userId`.
   * @throws {ApiError} 503 `too_many_sessions`; 429 `session_limit`. Both carry `Retry-After`
   *   (seconds until the soonest idle session expires, else 60).
   */
  create(userId: string, init: { title?: string; model?: string } = {}): Session {
    if (this.#sessions.size >= this.#options.maxSessions) {
      throw new ApiError(503, 'too_many_sessions', 'The server holds as many sessions as it can; try again later.', {
        headers: { 'retry-after': String(this.#retryAfter([...this.#sessions.values()])) },
      });
    }
    const own = this.list(userId);
    if (own.length >= this.#options.maxSessionsPerUser) {
      throw new ApiError(
        429,
        'session_limit',
        `You have ${this.#options.maxSessionsPerUser} sessions, the most allowed; delete one first.`,
        { headers: { 'retry-after': String(this.#retryAfter(own)) } },
      );
    }
    const id = randomUUID();
    const logger = this.#options.logger;
    const session = new Session({
      id,
      userId,
      ...init,
      agent: this.#options.agent,
      logger,
      ...(this.#options.defaultModel ? { defaultModel: this.#options.defaultModel } : {}),
      ...(this.#options.compaction ? { compaction: this.#options.compaction } : {}),
      log:
        this.#options.createEventLog?.(id) ??
        new MemoryEventLog({ onListenerError: (error) => logger.error('[agent-chat] event listener failed:', error) }),
    });
    this.#sessions.set(id, session);
    this.#startSweeper();
    return session;
  }

  /** The session with this id if `userId` owns it; `undefined` otherwise (including malformed ids). */
  get(id: string, userId: string): Session | undefined {
    if (!SESSION_ID.test(id)) return undefined;
    const session = this.#sessions.get(id);
    return session && session.userId === userId ? session : undefined;
  }

  /** The user's sessions, newest first. */
  list(userId: string): Session[] {
    // Reversed insertion order breaks ties between sessions created in the same millisecond.
    return [...this.#sessions.values()]
      .reverse()
      .filter((s) => s.userId === userId)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Deletes a session: interrupts its turn, ends its streams with `shutdown`, drops its log.
   * @returns False when there is no such session for this user.
   */
  delete(id: string, userId: string): boolean {
    const session = this.get(id, userId);
    if (!session) return false;
    this.#remove(session, 'session_deleted');
    return true;
  }

  /**
   * Deletes every session idle for longer than `idleTimeoutMs` (as of `now`, ms
   * since the Unix epoch); their streams end with `shutdown` (`session_expired`).
   * Runs on its own timer; public so that a host or a test can run it now.
   *
   * @returns How many sessions expired.
   */
  expireIdle(now = Date.now()): number {
    if (this.#idleTimeoutMs === 0) return 0;
    let expired = 0;
    for (const session of [...this.#sessions.values()]) {
      if (this.#expiresAt(session) <= now) {
        this.#remove(session, 'session_expired');
        expired += 1;
      }
    }
    return expired;
  }

  /** Interrupts every turn, ends every stream with `shutdown`, and waits up to `timeoutMs` for the agents to stop. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.#stopSweeper();
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) {
      session.runner.interrupt();
      session.shutdownStreams('server_shutdown');
    }
    await Promise.all(sessions.map((session) => session.runner.settle(timeoutMs)));
  }

  #remove(session: Session, reason: string): void {
    this.#sessions.delete(session.id);
    session.runner.interrupt();
    session.shutdownStreams(reason);
    session.log.close();
    if (this.#sessions.size === 0) this.#stopSweeper();
  }

  /** When `session` expires, in ms since the Unix epoch; never while it works on a turn. */
  #expiresAt(session: Session): number {
    if (this.#idleTimeoutMs === 0 || !session.runner.waitingForUser) return Infinity;
    return session.lastActiveAt + this.#idleTimeoutMs;
  }

  /** Seconds until the first of `sessions` expires (at least 1), or a default when none will. */
  #retryAfter(sessions: readonly Session[]): number {
    const first = Math.min(...sessions.map((session) => this.#expiresAt(session)));
    if (!Number.isFinite(first)) return DEFAULT_RETRY_AFTER_S;
    return Math.max(1, Math.ceil((first - Date.now()) / 1000));
  }

  #startSweeper(): void {
    if (this.#idleTimeoutMs === 0 || this.#sweeper !== undefined) return;
    // Expiry is late by at most a quarter of the timeout (and never more than a minute).
    const every = Math.min(60_000, Math.max(10, Math.floor(this.#idleTimeoutMs / 4)));
    this.#sweeper = setInterval(() => this.expireIdle(), every);
    // Expiry must never hold a process open on its own.
    this.#sweeper.unref?.();
  }

  #stopSweeper(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
