import type { AgentEvent, ApprovalDecision, CompactResult, SessionInfo, SessionMessages } from '@agent-chat/core';
import { SESSION_ID_PATTERN } from '@agent-chat/core/util';
import { ChatError, noPendingApproval, sessionNotFound } from '../chat-error.js';
import { truncateAtUserMessage, withoutLastTurn } from './conversation-turns.js';
import { cleanTitle, heuristicTitle } from '../agents/heuristic-title.js';
import type { Session } from './session.js';
import { SessionManager, unwrap, type SessionManagerOptions } from './session-manager.js';
import type { TurnInput } from './session-runner.js';
import type { ClusterCommand } from '../cluster/cluster.js';
import type { SessionStore } from '../stores/session-store.js';

/** Options of {@link SessionService}. */
export interface SessionServiceOptions extends Omit<SessionManagerOptions, 'execute'> {
  /** How long `agent.title()` may take before the heuristic title is used, in ms. Default 15 000. */
  titleTimeoutMs?: number;
  /** Titles every untitled session when a turn starts in it (see `ChatServerOptions.autoTitle`). Default true. */
  autoTitle?: boolean;
}

/** What {@link SessionService.create} may do instead of creating. */
export interface CreateOptions {
  /** `empty`: take over the user's newest empty session if there is one. */
  reuse?: 'empty';
  /**
   * The new session's id, chosen by the client (an AG-UI `threadId`, an AI SDK
   * chat id), instead of a random one; it must match core's `SESSION_ID_PATTERN`.
   */
  id?: string;
}

/**
 * What a request can do to a session, in one place: every HTTP route (and
 * every other endpoint) makes one call here, and every command that only the
 * session's writer may run takes one path, {@link SessionManager.run}: here
 * when this process writes the session, else forwarded to the one that does,
 * where the same executor runs it.
 *
 * Refusals are {@link ChatError}s with a stable code; the HTTP layer picks the status.
 */
export class SessionService {
  /** The sessions this process holds. */
  readonly manager: SessionManager;
  readonly #options: SessionServiceOptions;
  readonly #titleTimeoutMs: number;
  /** Sessions being titled in the background, so that two quick turns ask once. */
  readonly #titling = new Set<string>();
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(options: SessionServiceOptions) {
    this.#options = options;
    this.#titleTimeoutMs = options.titleTimeoutMs ?? 15_000;
    this.manager = new SessionManager({ ...options, execute: (session, command) => this.#execute(session, command) });
  }

  /** Sessions held in this process's memory. */
  get size(): number {
    return this.manager.size;
  }

  /** Where sessions live. */
  get store(): SessionStore {
    return this.manager.store;
  }

  /** The session if `userId` owns it and this process holds it, as is (no load, no sync). */
  get(id: string, userId: string): Session | undefined {
    return this.manager.get(id, userId);
  }

  /** @throws {ChatError} `shutting_down` (retry after 5 s) once {@link close} was called. */
  assertAcceptingTurns(): void {
    if (this.#closing) throw new ChatError('shutting_down', 'The server is shutting down; try again shortly.', { retryAfterSeconds: 5 });
  }

  /**
   * The caller's session with this id, loaded from the store if need be (and
   * up to date with the shared log in a cluster), marked as used.
   * @throws {ChatError} `session_not_found` for any other id (malformed, missing, another user's).
   */
  async open(id: string, userId: string): Promise<Session> {
    const session = await this.manager.open(id, userId);
    if (!session) throw sessionNotFound();
    session.touch();
    return session;
  }

  /**
   * Creates a session for `userId`; with `reuse: 'empty'` takes over the user's
   * newest empty one (no message, no title, nothing running) instead, if any,
   * setting `init.model` on it (a `title` always creates).
   * With `id`, creates the session with that id.
   * @returns The session, and whether it was created.
   * @throws {ChatError} `shutting_down`; `too_many_sessions`; `session_limit` (both with `retryAfterSeconds`);
   *   `invalid_body` for an `id` that is not a session id; `session_not_found` for an `id` that is taken
   *   (by this user or another: which is never said).
   */
  async create(userId: string, init: { title?: string; model?: string } = {}, { reuse, id }: CreateOptions = {}): Promise<{ session: Session; created: boolean }> {
    this.assertAcceptingTurns();
    if (id !== undefined && !SESSION_ID_PATTERN.test(id)) {
      throw new ChatError('invalid_body', `"${id.slice(0, 80)}" cannot be a session id.`, {
        issues: [{ path: ['id'], message: `Use 1 to 64 letters, digits, _ or - (${SESSION_ID_PATTERN})` }],
      });
    }
    if (id !== undefined) return { session: await this.manager.createSession(userId, init, id), created: true };
    if (reuse === 'empty' && init.title === undefined) {
      for (const record of await this.manager.store.list(userId)) {
        // Checkpointed records say enough to skip most candidates without loading them.
        if (record.title !== undefined || record.messageCount > 0) continue;
        const session = await this.manager.open(record.id, userId);
        if (!session || !isEmpty(session)) continue;
        session.touch();
        if (init.model !== undefined && init.model !== session.model) await this.setModel(session, init.model);
        return { session, created: false };
      }
    }
    return { session: await this.manager.createSession(userId, init), created: true };
  }

  /** Every session of the user in the store, newest first. */
  list(userId: string): Promise<SessionInfo[]> {
    return this.manager.listInfo(userId);
  }

  /** Sessions in the store. */
  count(): Promise<number> {
    return this.manager.count();
  }

  /**
   * Starts a turn for the user's input, in this process (which becomes the
   * session's writer). Titles an untitled session in the background.
   * @returns The id of the last event before the turn: its events are the ones after it.
   * @throws {ChatError} `turn_running` when a turn or compaction runs, here or elsewhere; `shutting_down`.
   */
  async startTurn(session: Session, input: TurnInput): Promise<number> {
    this.assertAcceptingTurns();
    session.runner.assertCanStart();
    await this.manager.acquire(session);
    try {
      // Taking the lease took time.
      session.runner.assertCanStart();
      this.assertAcceptingTurns();
    } catch (error) {
      this.manager.releaseIfIdle(session);
      throw error;
    }
    const after = session.log.lastId;
    // A message of files only is titled from their names.
    this.#titleInBackground(session, input.text || (input.attachments ?? []).map((file) => file.name).join(', '));
    session.runner.start(input);
    return after;
  }

  /**
   * Gives the user's decisions to the turn waiting for them, wherever it runs.
   * @returns The id after which the turn's next events come.
   * @throws {ChatError} `no_pending_approval`; `invalid_approvals`; `owner_unreachable`.
   */
  async submitApprovals(session: Session, approvals: ApprovalDecision[]): Promise<number> {
    const reply = await this.manager.run(session, { kind: 'approvals', approvals });
    if (!reply) throw noPendingApproval();
    return Number(unwrap(reply));
  }

  /**
   * Stops the session's turn or compaction, wherever it runs.
   * @returns False when nothing was running.
   * @throws {ChatError} `owner_unreachable`.
   */
  async interrupt(session: Session): Promise<boolean> {
    const reply = await this.manager.run(session, { kind: 'interrupt' });
    const interrupted = reply !== undefined && unwrap(reply) === true;
    // The writer appended `interrupted` before it replied: have it here before anything that follows (a shutdown).
    if (interrupted) await this.manager.sync(session);
    return interrupted;
  }

  /**
   * Removes the last turn (from the last user message on).
   * @throws {ChatError} `turn_running`; `nothing_to_undo`.
   */
  undo(session: Session): Promise<SessionMessages> {
    return this.manager.exclusive(session, () => {
      const messages = withoutLastTurn(session.state.messages);
      if (!messages) throw new ChatError('nothing_to_undo', 'The session has no turn to undo.');
      session.replaceHistory(messages);
      return session.messages();
    });
  }

  /**
   * Cuts the conversation just before its user message number `userMessageIndex` (from 0).
   * @throws {ChatError} `turn_running`; `invalid_body` for an index the session does not have.
   */
  truncate(session: Session, userMessageIndex: number): Promise<SessionMessages> {
    return this.manager.exclusive(session, () => {
      const messages = truncateAtUserMessage(session.state.messages, userMessageIndex);
      if (!messages) {
        const count = session.state.messages.filter((m) => m.role === 'user').length;
        throw new ChatError('invalid_body', 'The request body does not match the expected shape.', {
          issues: [{ path: ['userMessageIndex'], message: `The session has ${count} user message(s); use an index from 0 to ${count - 1}` }],
        });
      }
      session.replaceHistory(messages);
      return session.messages();
    });
  }

  /**
   * Summarises all but the last turns into one message (see `SessionRunner.compact`).
   * @throws {ChatError} `shutting_down`; `turn_running`; `interrupted`; `summarize_failed`;
   *   `session_not_found` when the session was deleted meanwhile.
   */
  async compact(session: Session): Promise<CompactResult> {
    this.assertAcceptingTurns();
    try {
      return await this.manager.exclusive(session, () => session.runner.compact());
    } catch (error) {
      // Deleted or expired meanwhile: say so, as for any other missing session.
      await this.open(session.id, session.userId);
      throw error;
    }
  }

  /** Sets the model of the session's next turns, in every process. */
  async setModel(session: Session, model: string): Promise<SessionInfo> {
    session.setModel(model);
    this.manager.store.update(session.record());
    await this.manager.broadcast({ kind: 'model', sessionId: session.id, model });
    return session.info();
  }

  /**
   * Deletes a session: interrupts its turn (wherever it runs), ends its streams
   * with `shutdown` (`session_deleted`) in every process, drops its log.
   */
  async delete(session: Session): Promise<void> {
    if (this.manager.clustered && !session.runner.busy) await this.interrupt(session);
    this.manager.drop(session, 'session_deleted');
    await this.manager.store.delete(session.id);
    await this.manager.broadcast({ kind: 'deleted', sessionId: session.id });
  }

  /**
   * Interrupts the session's turn and ends its streams with `shutdown` (`reason`) in every process.
   * @returns Whether a turn was interrupted.
   */
  async shutdown(session: Session, reason = 'session_shutdown'): Promise<boolean> {
    const interrupted = await this.interrupt(session);
    await this.shutdownStreams(session, reason);
    return interrupted;
  }

  /** Ends the session's SSE streams with `shutdown` (`reason`) in every process. */
  async shutdownStreams(session: Session, reason: string): Promise<void> {
    session.shutdownStreams(reason);
    await this.manager.broadcast({ kind: 'shutdown_streams', sessionId: session.id, reason });
  }

  /**
   * Waits (bounded) until this process's copy of the session holds event
   * `toId`, which a client may have from the turn's writer in another process.
   * @returns False when no process has written that id.
   */
  catchUp(session: Session, toId: number): Promise<boolean> {
    return this.manager.catchUp(session, { toId });
  }

  /**
   * A title for `text`: the agent's (bounded by `titleTimeoutMs`), else its
   * first words. With a session, made with its model and appended to it as a
   * `title` event.
   * @throws {ChatError} `session_not_found` (before, or once the title is made); `session_busy`.
   */
  async title(text: string, { sessionId, userId, signal }: { sessionId?: string; userId: string; signal?: AbortSignal }): Promise<string> {
    const target = sessionId === undefined ? undefined : await this.open(sessionId, userId);
    const title = await this.#makeTitle(text, target?.runner.model ?? this.#options.defaultModel?.(), signal);
    // Making it took time: the session may be gone by now.
    if (sessionId !== undefined) await this.appendTitle(await this.open(sessionId, userId), title);
    return title;
  }

  /**
   * Appends a `title` event as the session's writer, wherever that is.
   * @throws {ChatError} `session_busy` (retry after 1 s) while the session changes hands between processes.
   */
  async appendTitle(session: Session, title: string): Promise<void> {
    const event: AgentEvent = { type: 'title', title };
    const held = await this.manager.tryAcquire(session);
    try {
      const reply = await this.manager.run(session, { kind: 'append', event });
      if (!reply) throw new ChatError('session_busy', 'The session is changing hands between servers; try again.', { retryAfterSeconds: 1 });
      unwrap(reply);
    } finally {
      if (held) this.manager.releaseIfIdle(session);
    }
  }

  /**
   * Stops accepting turns (`shutting_down`), interrupts every turn, ends every
   * stream with `shutdown`, waits up to `timeoutMs` for the agents, closes the store.
   */
  close(timeoutMs = 5_000): Promise<void> {
    this.#closing = true;
    this.#closed ??= this.manager.close(timeoutMs);
    return this.#closed;
  }

  /** Runs a command as the session's writer: the executor of {@link SessionManager.run}, for commands from here and from other processes. */
  #execute(session: Session, command: ClusterCommand): unknown {
    switch (command.kind) {
      case 'approvals': {
        const after = session.log.lastId;
        session.runner.submitApprovals(command.approvals);
        return after;
      }
      case 'interrupt':
        return session.runner.interrupt();
      case 'append':
        session.append(command.event);
        return undefined;
      case 'status':
        throw new ChatError('internal_error', 'status is answered by the session manager.');
    }
  }

  /** A title from the agent, bounded in time; the heuristic when it has none, fails or times out. */
  async #makeTitle(text: string, model: string | undefined, abort?: AbortSignal): Promise<string> {
    const { agent, logger } = this.#options;
    if (!agent.title) return heuristicTitle(text);
    const timeout = AbortSignal.timeout(this.#titleTimeoutMs);
    const signal = abort ? AbortSignal.any([abort, timeout]) : timeout;
    try {
      const title = await Promise.race([
        agent.title(text, { signal, ...(model !== undefined ? { model } : {}) }),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ]);
      return (typeof title === 'string' ? cleanTitle(title) : undefined) ?? heuristicTitle(text);
    } catch (error) {
      logger.warn('[agent-chat] agent.title() failed; using the first words instead:', error);
      return heuristicTitle(text);
    }
  }

  /**
   * Titles `session` in the background unless it has a title: from its first
   * user message (or `text`, the one starting now). Never throws; a failure is
   * logged and the next turn tries again.
   */
  #titleInBackground(session: Session, text: string): void {
    if (this.#options.autoTitle === false || session.title !== undefined || this.#titling.has(session.id)) return;
    this.#titling.add(session.id);
    const first = session.state.messages.find((m) => m.role === 'user')?.parts.find((p) => p.type === 'text');
    const source = first && 'text' in first && first.text.trim() ? first.text : text;
    const { id, userId } = session;
    void (async () => {
      try {
        const title = await this.#makeTitle(source, session.runner.model ?? this.#options.defaultModel?.());
        // Titling took time: the session may be gone, or titled by someone else meanwhile.
        const current = this.#closing ? undefined : await this.manager.open(id, userId);
        if (current && current.title === undefined) await this.appendTitle(current, title);
      } catch (error) {
        this.#options.logger.warn(`[agent-chat] could not title session ${id}:`, error);
      } finally {
        this.#titling.delete(id);
      }
    })();
  }
}

/** Nothing said, titled or running yet: a session that a new conversation may take over. */
function isEmpty(session: Session): boolean {
  return session.state.messages.length === 0 && session.title === undefined && session.state.status === 'idle' && !session.runner.busy;
}
