import { randomUUID } from 'node:crypto';
import { eventTypesWith } from '@agent-chat/core';
import { SESSION_ID_PATTERN as SESSION_ID, sleep } from '@agent-chat/core/util';
import type { ConversationState, SequencedEvent, SessionInfo } from '@agent-chat/core';
import type { Agent } from '../agents/agent.js';
import { ChatError, sessionNotFound, turnRunning } from '../chat-error.js';
import type { EventLog } from './event-log.js';
import { Session } from './session.js';
import type { CompactionOptions } from './session-runner.js';
import type { Cluster, ClusteredStore, ClusterCommand, ClusterHost, ClusterNotice, ClusterReply } from '../cluster/cluster.js';
import { localCluster } from '../cluster/local.js';
import { turnLostEvent, type CreateRefusal, type EventLogHooks, type SessionRecord, type SessionStore } from '../stores/session-store.js';
import { memoryStore } from '../stores/memory-store.js';

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  agent: Agent;
  /** Most sessions in the store; past it `create` throws 503 `too_many_sessions`. */
  maxSessions: number;
  /** Most sessions per user in the store; past it `create` throws 429 `session_limit`. */
  maxSessionsPerUser: number;
  /**
   * A session unused for this long, in ms, is deleted and its streams get
   * `shutdown` (`session_expired`). A turn that runs (not one waiting for
   * approval) keeps it alive. With a durable store the session is only unloaded
   * from this process's memory (once idle with no open stream), never deleted.
   * 0 turns expiry off. Default 1 hour.
   */
  idleTimeoutMs?: number;
  logger: Pick<Console, 'warn' | 'error'>;
  /** Where sessions live. Default {@link memoryStore}. */
  /** A clustered store (Redis) carries its `cluster`. */
  store?: SessionStore & ClusteredStore;
  /** Makes the event log of a new session (memory store only). Default: the store's. */
  createEventLog?: (sessionId: string) => EventLog;
  /** The server's default model, for sessions that chose none. */
  defaultModel?: () => string | undefined;
  /** Automatic compaction before each turn. */
  compaction?: CompactionOptions;
  /**
   * Runs a command on a session this process writes: the one executor of
   * {@link SessionManager.run}, for commands from this process and from others
   * alike (the session service's). Returns the command's value; throws a
   * {@link ChatError} to refuse. Without it every command is refused.
   */
  execute?: (session: Session, command: ClusterCommand) => unknown;
}

/** Default of {@link SessionManagerOptions.idleTimeoutMs}: one hour. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * How long a clustered process waits for its copy of a session to catch up
 * with the writer's (whose events reach its own clients before Redis), in ms.
 */
export const CATCH_UP_MS = 3_000;

/** Pause between two looks at the shared log while catching up, in ms (the live tail usually ends it sooner). */
const CATCH_UP_POLL_MS = 50;

/** What {@link SessionManager.catchUp} takes a writer's silence for. */
const STALLED: ClusterReply = { ok: false, error: { code: 'owner_unreachable', message: 'The writer did not answer in time.' } };

/** `Retry-After` when no session is about to expire, in seconds. */
const DEFAULT_RETRY_AFTER_S = 60;

/** Events after which a session may be settled: its state checkpointed and, once idle, its lease released. */
const SETTLING_TYPES: ReadonlySet<string> = new Set(eventTypesWith('settling'));

/**
 * The sessions this process holds, by id, each owned by one user, kept in
 * a {@link SessionStore}. A session is held in memory while it is used (a
 * durable store reloads it on demand), expires when idle, and is kept in step
 * with the other processes of a cluster. What a request does to a session
 * goes through the session service, which builds on this class.
 *
 * With a clustered store (Redis) one process at a time writes a session: the
 * one running its turn (it holds the session's lease). The others follow its
 * log and run commands on it through {@link run}.
 */
export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<Session | undefined>>();
  readonly #options: SessionManagerOptions;
  readonly #idleTimeoutMs: number;
  readonly #hooks: EventLogHooks;
  readonly #cluster: Cluster;
  /** Where sessions live. */
  readonly store: SessionStore & ClusteredStore;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    this.#idleTimeoutMs = Math.max(0, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.store = options.store ?? memoryStore();
    if (options.createEventLog && this.store.durable) {
      throw new TypeError('agent-chat: createEventLog only works with the memory store; a durable store makes its own logs.');
    }
    const logger = options.logger;
    this.#hooks = {
      onListenerError: (error) => logger.error('[agent-chat] event listener failed:', error),
      onDetached: (id) => this.#detach(id),
    };
    this.#cluster = this.store.cluster ?? localCluster();
    this.#cluster.attach(this.#clusterHost());
  }

  /** Number of sessions held in this process's memory. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Whether other processes share the store (and may run this process's sessions' turns). */
  get clustered(): boolean {
    return this.#cluster.clustered;
  }

  /**
   * Creates a session for `userId` with a synchronous store (memory, SQLite).
   * @throws {ChatError} as {@link createSession}.
   * @throws {TypeError} with an asynchronous store (Redis): use {@link createSession}.
   */
  create(userId: string, init: { title?: string; model?: string } = {}): Session {
    if (this.#cluster.clustered) throw new TypeError('agent-chat: this store is asynchronous; use createSession().');
    const record = newRecord(userId, init);
    const result = this.store.create(record, this.#limits(), this.#hooks);
    if (result instanceof Promise) throw new TypeError('agent-chat: this store is asynchronous; use createSession().');
    return this.#admit(record, result);
  }

  /**
   * Creates a session for `userId`, with `id` if given (a valid session id), else a random one.
   * @throws {ChatError} `too_many_sessions`; `session_limit`. Both carry `retryAfterSeconds`
   *   (until the soonest idle session expires, else 60). `session_not_found` when `id` is taken
   *   (whoever has it: another user's session is never revealed).
   */
  async createSession(userId: string, init: { title?: string; model?: string } = {}, id?: string): Promise<Session> {
    const record = newRecord(userId, init, id);
    return this.#admit(record, await this.store.create(record, this.#limits(), this.#hooks));
  }

  /** The session with this id if `userId` owns it and this process holds it; `undefined` otherwise. */
  get(id: string, userId: string): Session | undefined {
    if (!SESSION_ID.test(id)) return undefined;
    const session = this.#sessions.get(id);
    return session && session.userId === userId ? session : undefined;
  }

  /**
   * The session with this id if `userId` owns it, loaded from the store when
   * this process does not hold it, and up to date with the shared log in a
   * cluster. A session found mid-turn with nobody running it gets its turn
   * ended with `error` `turn_lost` first. `undefined` for any other id.
   */
  async open(id: string, userId: string): Promise<Session | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    // Twice at most: a cluster copy found too far behind the shared log while syncing is dropped, then loaded afresh.
    for (let attempt = 0; attempt < 2; attempt++) {
      let session = this.#sessions.get(id);
      if (!session) {
        let loading = this.#loading.get(id);
        if (!loading) {
          loading = this.#load(id).finally(() => this.#loading.delete(id));
          this.#loading.set(id, loading);
        }
        session = await loading;
        if (!session) return undefined;
      } else if (this.#cluster.clustered) {
        await this.#cluster.sync(id);
      }
      if (this.#sessions.get(id) === session) return session.userId === userId ? session : undefined;
    }
    return undefined;
  }

  /** The user's sessions held in this process, newest first. */
  list(userId: string): Session[] {
    // Reversed insertion order breaks ties between sessions created in the same millisecond.
    return [...this.#sessions.values()]
      .reverse()
      .filter((s) => s.userId === userId)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Every session of the user in the store, newest first: live ones as this process sees them, others as last checkpointed. */
  async listInfo(userId: string): Promise<SessionInfo[]> {
    const records = await this.store.list(userId);
    return records.map((record) => this.#sessions.get(record.id)?.info() ?? recordInfo(record));
  }

  /** Sessions in the store. */
  async count(): Promise<number> {
    return this.store.count();
  }

  /**
   * Makes this process the session's writer before a change: a no-op in a
   * single process; in a cluster it takes the session's lease (released once
   * the session is idle again). A turn that has just ended in another process
   * (its end not yet read here) is waited for, at most {@link CATCH_UP_MS}.
   * @throws {ChatError} `turn_running` when another process runs a turn in it.
   */
  async acquire(session: Session): Promise<void> {
    if (!this.#cluster.clustered) return;
    const deadline = Date.now() + CATCH_UP_MS;
    while (!(await this.#cluster.acquire(session.id))) {
      if (Date.now() >= deadline || !(await this.catchUp(session, { untilIdle: true, deadline }))) throw turnRunning();
    }
  }

  /**
   * Brings this process's copy of a clustered session up to the writer's, which
   * streams events to its own clients before its write-behind reaches the shared
   * log: a client may know of events (or of a turn's end) that this process has
   * not read yet. Waits at most until `deadline` (ms since the Unix epoch;
   * default {@link CATCH_UP_MS} from now), re-reading the shared log and the live tail.
   *
   * - `toId`: until the copy holds the event with that id. Returns at once when
   *   no process writes the session or its writer has no such id (the id is
   *   beyond anything written).
   * - `untilIdle`: when another process holds the lease, until its turn has ended
   *   and its last event is here, so that the caller may try to take the lease
   *   again. Returns false at once when the writer still works on the session
   *   (or does not answer).
   *
   * In a single process it only compares `toId` with the log.
   * @returns Whether the copy reached what was asked; with `untilIdle`, whether taking the lease is worth another try.
   */
  async catchUp(session: Session, { toId, untilIdle = false, deadline = Date.now() + CATCH_UP_MS }: { toId?: number; untilIdle?: boolean; deadline?: number }): Promise<boolean> {
    const cluster = this.#cluster;
    // A single process's copy is the log.
    if (!cluster.clustered) return toId === undefined || session.log.lastId >= toId;
    if (toId !== undefined) {
      await cluster.sync(session.id);
      if (session.log.lastId >= toId) return true;
    }
    // A writer that stalls (it does not answer) must not hold the caller past the deadline.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = await Promise.race([
      this.run(session, { kind: 'status' }),
      new Promise<ClusterReply>((resolve) => (timer = setTimeout(() => resolve(STALLED), Math.max(0, deadline - Date.now())))),
    ]).finally(() => clearTimeout(timer));
    // Nobody writes it: everything written is in the shared log.
    if (!reply) {
      await cluster.sync(session.id);
      // The lease may be on its way back (its holder gave it up a moment ago): not in a busy loop.
      if (untilIdle) await sleep(Math.min(CATCH_UP_POLL_MS, deadline - Date.now()));
      return toId === undefined || session.log.lastId >= toId;
    }
    if (!reply.ok) return false;
    const writer = reply.value as { busy: boolean; lastId: number };
    if (untilIdle && writer.busy) return false;
    const target = Math.min(toId ?? writer.lastId, writer.lastId);
    while (session.log.lastId < target && Date.now() < deadline && this.#sessions.get(session.id) === session) {
      await this.#nextEvent(session, Math.min(CATCH_UP_POLL_MS, deadline - Date.now()));
      await cluster.sync(session.id);
    }
    if (session.log.lastId < target) return false;
    if (toId !== undefined) return session.log.lastId >= toId;
    // Caught up; the writer gives its lease up once its writes are flushed: let that happen before trying again.
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(CATCH_UP_POLL_MS, deadline - Date.now()));
    return true;
  }

  /** Resolves on the session's next event (the live tail), or after `timeoutMs`. */
  #nextEvent(session: Session, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let stop: (() => void) | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        clearTimeout(timer);
        stop?.();
        resolve();
      };
      stop = session.log.subscribe(session.log.lastId, finish);
      timer = setTimeout(finish, Math.max(0, timeoutMs));
    });
  }

  /**
   * Takes the session's lease if no other process holds it, without waiting:
   * always true in a single process. Give it back with {@link releaseIfIdle}.
   */
  async tryAcquire(session: Session): Promise<boolean> {
    return this.#cluster.acquire(session.id);
  }

  /** Gives up the lease taken by {@link acquire} unless a turn or compaction now runs here. */
  releaseIfIdle(session: Session): void {
    if (!session.runner.busy) this.#cluster.release(session.id);
  }

  /**
   * Runs a change that needs the session idle (undo, truncate, compact) as its writer.
   * @throws {ChatError} `turn_running` when a turn or compaction runs, here or elsewhere; what `op` throws.
   */
  async exclusive<T>(session: Session, op: () => T | Promise<T>): Promise<T> {
    session.runner.assertIdle();
    await this.acquire(session);
    try {
      session.runner.assertIdle();
      return await op();
    } finally {
      this.releaseIfIdle(session);
    }
  }

  /**
   * Runs `command` on the session's writer: here when this process writes it
   * (or nobody else can), else forwarded to the process that does. The one
   * path of every command, local or not; its executor is `options.execute`.
   * @returns The writer's reply; `undefined` when no process writes the session.
   */
  async run(session: Session, command: ClusterCommand): Promise<ClusterReply | undefined> {
    return this.#cluster.run(session.id, command);
  }

  /** Tells the other processes of the cluster (none in a single process); the caller has done it here. */
  async broadcast(notice: ClusterNotice): Promise<void> {
    await this.#cluster.broadcast(notice);
  }

  /** Brings this process's copy of a clustered session up to date with the shared log (a no-op in a single process). */
  async sync(session: Session): Promise<void> {
    await this.#cluster.sync(session.id);
  }

  /**
   * Drops a session from this process (deleted, here or elsewhere): interrupts
   * its turn, ends its streams with `shutdown` (`reason`), closes its log.
   */
  drop(session: Session, reason: string): void {
    this.#remove(session, reason);
  }

  /**
   * Deletes (memory store) or unloads (durable store) every session idle for
   * longer than `idleTimeoutMs` (as of `now`, ms since the Unix epoch); the
   * streams of deleted ones end with `shutdown` (`session_expired`). Runs on
   * its own timer; public so that a host or a test can run it now.
   *
   * @returns How many sessions expired.
   */
  expireIdle(now = Date.now()): number {
    if (this.#idleTimeoutMs === 0) return 0;
    let expired = 0;
    for (const session of [...this.#sessions.values()]) {
      if (this.#expiresAt(session) > now) continue;
      if (this.store.durable) {
        // The conversation stays in the store; only an unused copy leaves memory.
        if (session.openStreams > 0 || session.runner.busy || session.state.status !== 'idle') continue;
        this.#unload(session);
      } else {
        this.#remove(session, 'session_expired');
        void Promise.resolve(this.store.delete(session.id)).catch((error: unknown) =>
          this.#options.logger.error('[agent-chat] could not delete an expired session:', error),
        );
      }
      expired += 1;
    }
    return expired;
  }

  /**
   * Interrupts every turn, ends every stream with `shutdown`, waits up to
   * `timeoutMs` for the agents to stop, then closes the store (flushing its writes).
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.#stopSweeper();
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) {
      session.runner.interrupt();
      session.shutdownStreams('server_shutdown');
    }
    await Promise.all(sessions.map((session) => session.runner.settle(timeoutMs)));
    await this.store.close();
  }

  #limits() {
    return { maxSessions: this.#options.maxSessions, maxSessionsPerUser: this.#options.maxSessionsPerUser };
  }

  #admit(record: SessionRecord, result: EventLog | CreateRefusal): Session {
    if (result === 'session_exists') throw sessionNotFound();
    if (result === 'too_many_sessions') {
      throw new ChatError('too_many_sessions', 'The server holds as many sessions as it can; try again later.', {
        retryAfterSeconds: this.#retryAfter([...this.#sessions.values()]),
      });
    }
    if (result === 'session_limit') {
      throw new ChatError('session_limit', `You have ${this.#options.maxSessionsPerUser} sessions, the most allowed; delete one first.`, {
        retryAfterSeconds: this.#retryAfter(this.list(record.userId)),
      });
    }
    const log = this.#options.createEventLog?.(record.id) ?? result;
    const session = this.#build(record, log);
    this.#sessions.set(record.id, session);
    this.#startSweeper();
    return session;
  }

  #build(record: SessionRecord, log: EventLog, state?: ConversationState): Session {
    const options = this.#options;
    return new Session({
      id: record.id,
      userId: record.userId,
      ...(record.title !== undefined ? { title: record.title } : {}),
      ...(record.model !== undefined ? { model: record.model } : {}),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      lastActiveAt: record.lastActiveAt,
      ...(state ? { state } : {}),
      agent: options.agent,
      logger: options.logger,
      log,
      ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
      ...(options.compaction ? { compaction: options.compaction } : {}),
      onEvent: this.#onEvent,
    });
  }

  readonly #onEvent = (session: Session, { event }: SequencedEvent): void => {
    if (!SETTLING_TYPES.has(event.type)) return;
    // A turn waiting for approval is checkpointed (a restart then ends it cleanly); other events mid-turn are not.
    if (event.type !== 'approval_required' && session.runner.busy) return;
    // Deleted sessions have nothing left to save.
    if (this.#sessions.get(session.id) !== session) return;
    try {
      this.store.checkpoint(session.record(), session.state, session.log);
    } catch (error) {
      this.#options.logger.error(`[agent-chat] could not checkpoint session ${session.id}:`, error);
    }
    this.releaseIfIdle(session);
  };

  async #load(id: string): Promise<Session | undefined> {
    const loaded = await this.store.load(id, this.#hooks);
    if (!loaded) return undefined;
    const session = this.#build(loaded.record, loaded.log, loaded.state);
    this.#sessions.set(id, session);
    this.#startSweeper();
    if (session.state.status !== 'idle') await this.#recover(session);
    return session;
  }

  /**
   * A session found mid-turn that no process runs (this process restarted, or
   * the cluster's writer died): ends the turn with `error` `turn_lost`
   * (retryable) so that the session is usable again.
   */
  async #recover(session: Session): Promise<void> {
    if (session.runner.busy || session.state.status === 'idle') return;
    // In a cluster the lease decides: only its new holder appends, so the event is written once.
    if (!(await this.#cluster.acquire(session.id))) return;
    // The await above may have let the turn end on its own.
    if (!session.runner.busy && !isIdle(session)) {
      this.#options.logger.warn(`[agent-chat] session ${session.id}: the turn ${session.state.turnId ?? ''} was lost; ending it with turn_lost.`);
      session.append(turnLostEvent(session.state.turnId));
    } else {
      this.releaseIfIdle(session);
    }
  }

  #clusterHost(): ClusterHost {
    return {
      logger: this.#options.logger,
      command: (id, command) => {
        const session = this.#sessions.get(id);
        return session ? this.#serve(session, command) : undefined;
      },
      notice: (notice) => this.#notice(notice),
      midTurn: () => [...this.#sessions.values()].filter((s) => !isIdle(s) && !s.runner.busy).map((s) => s.id),
      recover: async (id) => {
        const session = this.#sessions.get(id);
        if (session) await this.#recover(session);
      },
      unload: (id) => this.#detach(id),
    };
  }

  /**
   * This process may not write the session any more, or its copy cannot
   * follow the shared log: drops the copy (the next request loads it afresh)
   * and stops its turn.
   */
  #detach(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    // Unload first: no client may see the events this process can no longer write.
    session.dropStreams();
    this.#unload(session);
    session.runner.interrupt();
  }


  /** Runs a command here, as the session's writer; a refusal becomes an error reply (as it travels between processes). */
  #serve(session: Session, command: ClusterCommand): ClusterReply {
    try {
      if (command.kind === 'status') {
        return { ok: true, value: { busy: session.runner.busy || !isIdle(session), lastId: session.log.lastId } };
      }
      if (!this.#options.execute) throw new ChatError('internal_error', 'This session manager runs no commands.');
      return { ok: true, value: this.#options.execute(session, command) };
    } catch (error) {
      if (error instanceof ChatError) {
        const { code, message, issues, retryAfterSeconds } = error;
        return { ok: false, error: { code, message, ...(issues ? { issues } : {}), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
      }
      this.#options.logger.error('[agent-chat] a session command failed:', error);
      return { ok: false, error: { code: 'internal_error', message: 'Something went wrong on the server.' } };
    }
  }

  #notice(notice: ClusterNotice): void {
    const session = this.#sessions.get(notice.sessionId);
    if (!session) return;
    switch (notice.kind) {
      case 'shutdown_streams':
        session.shutdownStreams(notice.reason);
        return;
      case 'deleted':
        this.#remove(session, 'session_deleted');
        return;
      case 'model':
        session.setModel(notice.model);
        return;
    }
  }

  /** Drops a session from this process: interrupts its turn, ends its streams with `shutdown`, closes its log. */
  #remove(session: Session, reason: string): void {
    session.runner.interrupt();
    this.#sessions.delete(session.id);
    session.shutdownStreams(reason);
    session.log.close();
    this.#cluster.release(session.id);
    this.#cluster.forget(session.id);
    this.store.forget(session.id);
    if (this.#sessions.size === 0) this.#stopSweeper();
  }

  /** Forgets this process's copy of an idle durable session; the store keeps it. */
  #unload(session: Session): void {
    this.#sessions.delete(session.id);
    session.log.close();
    this.#cluster.release(session.id);
    this.#cluster.forget(session.id);
    this.store.forget(session.id);
    if (this.#sessions.size === 0) this.#stopSweeper();
  }

  /** When `session` expires, in ms since the Unix epoch; never while it works on a turn. */
  #expiresAt(session: Session): number {
    if (this.#idleTimeoutMs === 0 || !session.runner.waitingForUser) return Infinity;
    return session.lastActiveAt + this.#idleTimeoutMs;
  }

  /** Seconds until the first of `sessions` expires (at least 1), or a default when none will. */
  #retryAfter(sessions: readonly Session[]): number {
    // Expiring a durable session does not free its slot.
    if (this.store.durable) return DEFAULT_RETRY_AFTER_S;
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

function isIdle(session: Session): boolean {
  return session.state.status === 'idle';
}

function newRecord(userId: string, init: { title?: string; model?: string }, id?: string): SessionRecord {
  const now = Date.now();
  return {
    id: id ?? randomUUID(),
    userId,
    ...(init.title !== undefined ? { title: init.title } : {}),
    ...(init.model !== undefined ? { model: init.model } : {}),
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    messageCount: 0,
    lastEventId: 0,
  };
}

/** What a list shows of a session no process here holds, as of its last checkpoint. */
function recordInfo(record: SessionRecord): SessionInfo {
  return {
    id: record.id,
    ...(record.title !== undefined ? { title: record.title } : {}),
    ...(record.model !== undefined ? { model: record.model } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    processing: false,
    awaitingApproval: false,
    messageCount: record.messageCount,
    lastEventId: record.lastEventId,
  };
}

/**
 * The value of a command's reply.
 * @throws {ChatError} the refusal it carries.
 */
export function unwrap(reply: ClusterReply): unknown {
  if (reply.ok) return reply.value;
  const { code, message, issues, retryAfterSeconds } = reply.error;
  throw new ChatError(code, message, { ...(issues ? { issues } : {}), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
}
