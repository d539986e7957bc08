import { randomUUID } from 'node:crypto';
import type { Agent } from './agent.js';
import { ApiError } from './api-error.js';
import { MemoryEventLog, type EventLog } from './event-log.js';
import { Session } from './session.js';

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  agent: Agent;
  /** Most sessions on this server; past it `create` throws 503 `too_many_sessions`. */
  maxSessions: number;
  /** Most sessions per user; past it `create` throws 429 `session_limit`. */
  maxSessionsPerUser: number;
  logger: Pick<Console, 'warn' | 'error'>;
  /** Makes the event log of a new session. Default: {@link MemoryEventLog}. */
  createEventLog?: (sessionId: string) => EventLog;
}

/** Session ids are UUIDs; anything outside this shape is refused before lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The server's sessions, by id, each owned by one user. */
export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #options: SessionManagerOptions;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Creates a session for `userId`.
   * @throws {ApiError} 503 `too_many_sessions`; 429 `session_limit`.
   */
  create(userId: string, init: { title?: string; model?: string } = {}): Session {
    if (this.#sessions.size >= this.#options.maxSessions) {
      throw new ApiError(503, 'too_many_sessions', 'The server holds as many sessions as it can; try again later.');
    }
    if (this.list(userId).length >= this.#options.maxSessionsPerUser) {
      throw new ApiError(429, 'session_limit', `You have ${this.#options.maxSessionsPerUser} sessions, the most allowed; delete one first.`);
    }
    const id = randomUUID();
    const logger = this.#options.logger;
    const session = new Session({
      id,
      userId,
      ...init,
      agent: this.#options.agent,
      logger,
      log:
        this.#options.createEventLog?.(id) ??
        new MemoryEventLog({ onListenerError: (error) => logger.error('[agent-chat] event listener failed:', error) }),
    });
    this.#sessions.set(id, session);
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
    this.#sessions.delete(id);
    session.runner.interrupt();
    session.shutdownStreams('session_deleted');
    session.log.close();
    return true;
  }

  /** Interrupts every turn, ends every stream with `shutdown`, and waits up to `timeoutMs` for the agents to stop. */
  async close(timeoutMs = 5_000): Promise<void> {
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) {
      session.runner.interrupt();
      session.shutdownStreams('server_shutdown');
    }
    await Promise.all(sessions.map((session) => session.runner.settle(timeoutMs)));
  }
}
