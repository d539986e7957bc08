import { randomUUID } from 'node:crypto';
import { createConversationState, type AgentEvent, type ConversationState, type SequencedEvent } from '@agent-chat/core';
import { Redis } from 'ioredis';
import { EventLogGapError, MemoryEventLog, type EventLog } from '../event-log.js';
import type { Session } from '../session.js';
import type {
  ClusterCommand,
  ClusterHost,
  ClusterNotice,
  ClusterReply,
  CreateRefusal,
  EventLogHooks,
  LoadedSession,
  SessionCluster,
  SessionLimits,
  SessionRecord,
  SessionStore,
} from '../session-store.js';
import { DEFAULT_RETAIN_EVENTS, trimLog } from './memory-store.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Where Redis is, e.g. `redis://127.0.0.1:6379`. Default that. Ignored when `client` is given. */
  url?: string;
  /**
   * An ioredis client to use for commands; the store makes two more
   * connections from it (`duplicate()`): one for the blocking stream reader, one
   * for pub/sub. The store does not close a client it was given.
   */
  client?: Redis;
  /** Prefix of every key and channel, so that several apps (or test runs) share one Redis. Default `agent-chat`. */
  prefix?: string;
  /** Events each session keeps once a turn has ended; older ones are trimmed (XTRIM MINID). Default 1 000. */
  retainEvents?: number;
  /**
   * Cap of each session's stream (XADD MAXLEN ~), a safety net against a
   * runaway turn. It must exceed the events of one turn. Default 100 000.
   */
  maxLen?: number;
  /**
   * Time to live of the lease of the process running a session's turn, in ms;
   * renewed every third of it. When that process dies, the session's
   * subscribers in other processes get `error` `turn_lost` within 1.5 × this
   * (plus a few Redis round trips). Default 10 000.
   */
  leaseMs?: number;
  /** How long a request forwarded to the process running the turn may take, in ms. Default 5 000. */
  forwardTimeoutMs?: number;
  /** Where background failures are reported. Default the session manager's logger. */
  logger?: Pick<Console, 'warn' | 'error'>;
}

/** The store's view of one session this process serves. */
interface Followed {
  log: MemoryEventLog;
  /** The last XADD sent for this session (they complete in order on one connection). */
  lastWrite: Promise<unknown>;
  /** Set when another process took over the session's log: our writes are refused. */
  fenced: boolean;
}

type ControlMessage =
  | { type: 'command'; requestId: string; from: string; sessionId: string; command: ClusterCommand }
  | { type: 'reply'; requestId: string; reply: ClusterReply | null };

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Inserts a session unless a limit is reached; the score is a cluster-wide creation counter (ties impossible). */
const CREATE = `
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 'too_many_sessions' end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 'session_limit' end
local n = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[1], n, ARGV[3])
redis.call('ZADD', KEYS[2], n, ARGV[3])
redis.call('HSET', KEYS[3], unpack(ARGV, 4))
return 'ok'`;
const DELETE = `
local user = redis.call('HGET', KEYS[1], 'userId')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
if user then redis.call('ZREM', ARGV[2] .. user, ARGV[1]) end
return 1`;

/**
 * A {@link SessionStore} in Redis, for several server processes behind a load
 * balancer (any request may land on any process; no sticky sessions needed).
 *
 * - Sessions are hashes, listed per user in sorted sets; creation checks the
 *   limits atomically (a Lua script).
 * - Each session's event log is a Redis Stream whose entry ids are the
 *   protocol's ids (`N-0`), so `Last-Event-ID` means the same on every process.
 *   The process running a turn fans events out to its own clients at once and
 *   writes them behind (XADD MAXLEN ~ `maxLen`, pipelined in order); the
 *   others follow with one multiplexed `XREAD BLOCK` connection.
 * - That process holds the session's lease (SET NX PX `leaseMs`, renewed
 *   every third of it). Approvals, interrupts and titles posted to another
 *   process are forwarded to it over pub/sub; stream shutdowns, deletions and
 *   model changes are broadcast. If it dies, a follower takes the lease over
 *   once it expires and ends the turn with `error` `turn_lost` (retryable).
 * - Explicit stream ids fence writers: a process that lost its lease cannot
 *   append (XADD refuses an id at or below the stream's top).
 *
 * Three connections per process: commands, the blocking reader, pub/sub.
 */
export function redisStore(options: RedisStoreOptions = {}): SessionStore {
  return new RedisSessionStore(options);
}

class RedisSessionStore implements SessionStore, SessionCluster {
  readonly kind = 'redis';
  readonly durable = true;
  readonly cluster: SessionCluster = this;
  readonly #instanceId = randomUUID();
  readonly #prefix: string;
  readonly #retain: number;
  readonly #maxLen: number;
  readonly #leaseMs: number;
  readonly #forwardTimeoutMs: number;
  readonly #ownsClient: boolean;
  readonly #cmd: Redis;
  readonly #reader: Redis;
  readonly #sub: Redis;
  #logger: Pick<Console, 'warn' | 'error'>;
  #host: ClusterHost | undefined;
  readonly #followed = new Map<string, Followed>();
  /** Sessions whose lease this process holds. */
  readonly #held = new Set<string>();
  /** Releases in progress, by session; `acquire` cancels them. */
  readonly #releasing = new Map<string, Promise<void>>();
  readonly #pendingReplies = new Map<string, (reply: ClusterReply | null) => void>();
  readonly #ready: Promise<void>;
  #readerId: number | undefined;
  #wake: (() => void) | undefined;
  #readLoop: Promise<void> | undefined;
  #closed = false;
  readonly #timers: ReturnType<typeof setInterval>[] = [];

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.prefix ?? 'agent-chat';
    this.#retain = options.retainEvents ?? DEFAULT_RETAIN_EVENTS;
    this.#maxLen = options.maxLen ?? 100_000;
    this.#leaseMs = Math.max(100, options.leaseMs ?? 10_000);
    this.#forwardTimeoutMs = options.forwardTimeoutMs ?? 5_000;
    this.#logger = options.logger ?? console;
    this.#ownsClient = !options.client;
    this.#cmd = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
    const reader = this.#cmd.duplicate();
    const sub = this.#cmd.duplicate();
    this.#reader = reader;
    this.#sub = sub;
    for (const connection of [this.#cmd, reader, sub]) {
      // ioredis reconnects on its own; an unhandled 'error' event would crash the process.
      connection.on('error', (error: unknown) => this.#logger.error('[agent-chat] redis store:', error));
    }
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.#onMessage(message.toString()));
    this.#ready = (async () => {
      this.#readerId = Number(await reader.client('ID'));
      await sub.subscribe(this.#key('ctl', this.#instanceId), this.#key('notices'));
    })();
    // A failed start surfaces on the first call that awaits it.
    this.#ready.catch(() => {});
  }

  // ---------------------------------------------------------------- SessionStore

  async create(record: SessionRecord, limits: SessionLimits, hooks: EventLogHooks): Promise<EventLog | CreateRefusal> {
    await this.#ready;
    const fields = recordFields(record);
    const result = (await this.#cmd.eval(
      CREATE,
      4,
      this.#key('sessions'),
      this.#key('user', record.userId),
      this.#key('session', record.id),
      this.#key('created'),
      limits.maxSessions,
      limits.maxSessionsPerUser,
      record.id,
      ...fields,
    )) as string;
    if (result !== 'ok') return result as CreateRefusal;
    return this.#follow(record.id, hooks, [], 0);
  }

  async load(id: string, hooks: EventLogHooks): Promise<LoadedSession | undefined> {
    await this.#ready;
    const [[, hash], [, entries]] = (await this.#cmd
      .multi()
      .hgetall(this.#key('session', id))
      .xrange(this.#key('log', id), '-', '+')
      .exec()) as [[unknown, Record<string, string>], [unknown, [string, string[]][]]];
    if (!hash || !hash.userId) return undefined;
    const existing = this.#followed.get(id);
    if (existing) return { record: hashRecord(id, hash), state: parseState(id, hash), log: existing.log };
    const state = parseState(id, hash);
    const events = entries.map(toSequenced);
    return { record: hashRecord(id, hash), state, log: this.#follow(id, hooks, events, Number(hash.stateEventId ?? 0)) };
  }

  async list(userId: string): Promise<SessionRecord[]> {
    await this.#ready;
    const ids = await this.#cmd.zrevrange(this.#key('user', userId), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.#cmd.pipeline();
    for (const id of ids) pipeline.hgetall(this.#key('session', id));
    const results = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const hash = results[i]?.[1] as Record<string, string> | undefined;
      return hash?.userId ? [hashRecord(id, hash)] : [];
    });
  }

  async count(): Promise<number> {
    await this.#ready;
    return this.#cmd.zcard(this.#key('sessions'));
  }

  update(record: SessionRecord): void {
    this.#cmd
      .hset(this.#key('session', record.id), ...recordFields(record))
      .catch((error: unknown) => this.#logger.error(`[agent-chat] redis store: could not update session ${record.id}:`, error));
  }

  checkpoint(record: SessionRecord, state: ConversationState, log: EventLog): void {
    // Followers see the same state; only the writer persists it (a late follower must not overwrite a newer checkpoint).
    if (!this.#held.has(record.id)) {
      trimLog(log, state, this.#retain);
      return;
    }
    const key = this.#key('session', record.id);
    const upTo = trimLog(log, state, this.#retain);
    const pipeline = this.#cmd.pipeline().hset(key, ...recordFields(record), 'state', JSON.stringify(state), 'stateEventId', String(state.lastEventId));
    if (upTo > 0) pipeline.xtrim(this.#key('log', record.id), 'MINID', `${upTo + 1}-0`);
    const followed = this.#followed.get(record.id);
    const written = pipeline.exec().catch((error: unknown) => this.#logger.error(`[agent-chat] redis store: could not checkpoint session ${record.id}:`, error));
    if (followed) followed.lastWrite = written;
  }

  async delete(id: string): Promise<void> {
    await this.#ready;
    await this.#cmd.eval(
      DELETE,
      4,
      this.#key('session', id),
      this.#key('log', id),
      this.#key('lease', id),
      this.#key('sessions'),
      id,
      `${this.#prefix}:user:`,
    );
  }

  forget(id: string): void {
    this.#followed.delete(id);
    this.#held.delete(id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.allSettled([...this.#releasing.values()]);
    // Give the leases still held back (their turns were interrupted by the session manager's close).
    await Promise.allSettled([...this.#held].map((id) => this.#releaseNow(id)));
    await Promise.allSettled([...this.#followed.values()].map((f) => f.lastWrite));
    for (const resolve of this.#pendingReplies.values()) resolve(null);
    await this.#unblockReader();
    await this.#readLoop?.catch(() => {});
    this.#reader.disconnect();
    this.#sub.disconnect();
    if (this.#ownsClient) await this.#cmd.quit().catch(() => this.#cmd.disconnect());
  }

  // -------------------------------------------------------------- SessionCluster

  attach(host: ClusterHost): void {
    this.#host = host;
    this.#logger = host.logger;
    // Renew every held lease three times per lease time.
    const renew = setInterval(() => void this.#renewLeases(), Math.floor(this.#leaseMs / 3));
    // Look for turns whose writer is gone twice per lease time.
    const watch = setInterval(() => void this.#watchLostTurns(), Math.floor(this.#leaseMs / 2));
    for (const timer of [renew, watch]) {
      timer.unref?.();
      this.#timers.push(timer);
    }
    this.#readLoop = this.#runReader();
  }

  async sync(session: Session): Promise<void> {
    const followed = this.#followed.get(session.id);
    // Closed: the copy in memory is all there is (the server answers 503 from here on).
    if (!followed || this.#closed) return;
    const entries = await this.#cmd.xrange(this.#key('log', session.id), `${followed.log.lastId}-1`, '+');
    this.#ingest(session.id, followed, entries);
  }

  async acquire(session: Session): Promise<boolean> {
    const id = session.id;
    if (this.#held.has(id)) {
      // Taken back before the release went through: the release is cancelled (it checks `#held`).
      this.#releasing.delete(id);
      return true;
    }
    if (this.#closed) return false;
    // A release past the point of no return: let it finish, then compete for the lease like anyone.
    await this.#releasing.get(id);
    await this.#ready;
    const taken = await this.#cmd.set(this.#key('lease', id), this.#instanceId, 'PX', this.#leaseMs, 'NX');
    if (taken !== 'OK') return false;
    this.#held.add(id);
    // The previous writer flushed its log before releasing (or died): read up to its end before writing.
    try {
      await this.sync(session);
    } catch (error) {
      this.release(session);
      throw error;
    }
    return true;
  }

  holds(sessionId: string): boolean {
    return this.#held.has(sessionId);
  }

  release(session: Session): void {
    const id = session.id;
    if (!this.#held.has(id) || this.#releasing.has(id)) return;
    let releasing: Promise<void> | undefined = undefined;
    releasing = (async () => {
      await this.#followed.get(id)?.lastWrite;
      // Re-acquired meanwhile: keep it.
      if (this.#releasing.get(id) !== releasing) return;
      await this.#releaseNow(id);
    })()
      .catch((error: unknown) => this.#logger.error(`[agent-chat] redis store: could not release session ${id}:`, error))
      .finally(() => {
        if (this.#releasing.get(id) === releasing) this.#releasing.delete(id);
      });
    this.#releasing.set(id, releasing);
  }

  async forward(sessionId: string, command: ClusterCommand): Promise<ClusterReply | undefined> {
    if (this.#closed) return undefined;
    await this.#ready;
    const leaseKey = this.#key('lease', sessionId);
    const owner = await this.#cmd.get(leaseKey);
    if (!owner) return undefined;
    // The owner holds the lease but does not answer (dead, or stalled): say so, retryably. The lease
    // expires within its time to live, and the turn is then ended as lost (or the owner answers again).
    const unreachable = async (): Promise<ClusterReply> => {
      const ttlMs = await this.#cmd.pttl(leaseKey).catch(() => this.#leaseMs);
      return {
        ok: false,
        error: {
          code: 'owner_unreachable',
          message: 'The server running this turn did not answer; nothing was changed. Try again shortly.',
          retryAfterSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : 1000) / 1000)),
        },
      };
    };
    const requestId = randomUUID();
    const reply = new Promise<ClusterReply | null>((resolve) => {
      const timer = setTimeout(() => {
        this.#pendingReplies.delete(requestId);
        void unreachable().then(resolve);
      }, this.#forwardTimeoutMs);
      this.#pendingReplies.set(requestId, (value) => {
        clearTimeout(timer);
        this.#pendingReplies.delete(requestId);
        resolve(value);
      });
    });
    const message: ControlMessage = { type: 'command', requestId, from: this.#instanceId, sessionId, command };
    const receivers = await this.#cmd.publish(this.#key('ctl', owner), JSON.stringify(message));
    if (receivers === 0) {
      this.#pendingReplies.get(requestId)?.(null);
      // Nobody listens on the owner's channel: it is gone, or already gave the lease up.
      if ((await this.#cmd.get(leaseKey)) !== owner) return undefined;
      return unreachable();
    }
    return (await reply) ?? undefined;
  }

  async broadcast(notice: ClusterNotice): Promise<void> {
    if (this.#closed) return;
    await this.#cmd.publish(this.#key('notices'), JSON.stringify({ from: this.#instanceId, notice }));
  }

  // ------------------------------------------------------------------- internals

  #key(...parts: string[]): string {
    return [this.#prefix, ...parts].join(':');
  }

  /** Starts following a session: its log, written behind to the stream while this process holds the lease. */
  #follow(id: string, hooks: EventLogHooks, events: SequencedEvent[], startAfter: number): MemoryEventLog {
    const followed: Followed = {
      log: undefined as unknown as MemoryEventLog,
      lastWrite: Promise.resolve(),
      fenced: false,
    };
    followed.log = new MemoryEventLog({
      onListenerError: hooks.onListenerError,
      events,
      startAfter,
      onAppend: (event) => this.#write(id, followed, event),
    });
    this.#followed.set(id, followed);
    void this.#unblockReader();
    return followed.log;
  }

  #write(id: string, followed: Followed, { id: eventId, event }: SequencedEvent): void {
    if (followed.fenced) return;
    followed.lastWrite = this.#cmd
      .xadd(this.#key('log', id), 'MAXLEN', '~', String(this.#maxLen), `${eventId}-0`, 'e', JSON.stringify(event))
      .catch((error: unknown) => {
        if (followed.fenced) return;
        this.#logger.error(`[agent-chat] redis store: could not write event ${eventId} of session ${id}:`, error);
        this.#drop(id);
      });
  }

  /**
   * This process may no longer write the session (another took it over, or its
   * lease expired): stop writing, stop its turn, and let this copy go (the next
   * request loads it afresh).
   */
  #drop(id: string): void {
    const followed = this.#followed.get(id);
    if (followed) followed.fenced = true;
    this.#held.delete(id);
    this.#logger.warn(`[agent-chat] redis store: session ${id} is no longer written by this process; its copy here is dropped.`);
    const session = this.#host?.local(id);
    if (session) {
      // Unload first: no client may see the events this process can no longer write.
      this.#host!.unload(session);
      session.runner.interrupt();
    }
  }

  #ingest(id: string, followed: Followed, entries: [string, string[]][]): void {
    try {
      for (const entry of entries) followed.log.ingest(toSequenced(entry));
    } catch (error) {
      if (!(error instanceof EventLogGapError)) throw error;
      // Trimmed past this copy (it fell far behind): drop it; clients reconnect and get a snapshot.
      const session = this.#host?.local(id);
      if (session) this.#host!.unload(session);
      this.#followed.delete(id);
    }
  }

  /** The multiplexed live tail: one blocking XREAD over every followed session's stream. */
  async #runReader(): Promise<void> {
    await this.#ready.catch(() => {});
    while (!this.#closed) {
      const followed = [...this.#followed.entries()];
      if (followed.length === 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      let result: [string, [string, string[]][]][] | null;
      try {
        result = (await this.#reader.xread(
          'COUNT',
          1000,
          'BLOCK',
          5000,
          'STREAMS',
          ...followed.map(([id]) => this.#key('log', id)),
          ...followed.map(([, f]) => `${f.log.lastId}-0`),
        )) as [string, [string, string[]][]][] | null;
      } catch (error) {
        if (this.#closed) return;
        this.#logger.error('[agent-chat] redis store: stream reader failed; retrying:', error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [key, entries] of result ?? []) {
        const id = key.slice(this.#key('log').length + 1);
        const f = this.#followed.get(id);
        if (f) this.#ingest(id, f, entries);
      }
    }
  }

  /** Makes the reader's XREAD return now, so that it reads the current set of streams. */
  async #unblockReader(): Promise<void> {
    const wake = this.#wake;
    if (wake) {
      wake();
      return;
    }
    if (this.#readerId === undefined) return;
    await this.#cmd.client('UNBLOCK', this.#readerId).catch(() => {});
  }

  async #releaseNow(id: string): Promise<void> {
    this.#held.delete(id);
    await this.#cmd.eval(RELEASE, 1, this.#key('lease', id), this.#instanceId);
  }

  async #renewLeases(): Promise<void> {
    // All at once, in one round trip: one after the other, the last of N leases waited N round trips
    // (times the event loop's delay under load) and expired before its turn came.
    await Promise.all(
      [...this.#held].map(async (id) => {
        try {
          const renewed = await this.#cmd.eval(RENEW, 1, this.#key('lease', id), this.#instanceId, this.#leaseMs);
          if (renewed === 1 || !this.#held.has(id)) return;
          // Expired (this process stalled longer than the lease): another process may be ending the turn.
          this.#drop(id);
        } catch (error) {
          this.#logger.error(`[agent-chat] redis store: could not renew the lease of session ${id}:`, error);
        }
      }),
    );
  }

  /** Followers of a session mid-turn whose lease is gone end that turn (only the one that takes the lease writes). */
  async #watchLostTurns(): Promise<void> {
    const host = this.#host;
    if (!host || this.#closed) return;
    for (const session of [...host.loaded()]) {
      if (session.state.status === 'idle' || session.runner.busy || this.#held.has(session.id)) continue;
      try {
        if ((await this.#cmd.exists(this.#key('lease', session.id))) === 0) await host.recover(session);
      } catch (error) {
        this.#logger.error(`[agent-chat] redis store: could not check session ${session.id}:`, error);
      }
    }
  }

  #onMessage(raw: string): void {
    let message: ControlMessage | { from: string; notice: ClusterNotice };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if ('notice' in message) {
      if (message.from !== this.#instanceId) this.#host?.notice(message.notice);
      return;
    }
    if (message.type === 'reply') {
      this.#pendingReplies.get(message.requestId)?.(message.reply);
      return;
    }
    const session = this.#host?.local(message.sessionId);
    // Not (or no longer) the writer: the sender sees no owner and decides.
    const reply = session && this.#held.has(message.sessionId) ? this.#host!.command(session, message.command) : null;
    const answer: ControlMessage = { type: 'reply', requestId: message.requestId, reply };
    this.#cmd
      .publish(this.#key('ctl', message.from), JSON.stringify(answer))
      .catch((error: unknown) => this.#logger.error('[agent-chat] redis store: could not reply:', error));
  }
}

function toSequenced([streamId, fields]: [string, string[]]): SequencedEvent {
  const index = fields.indexOf('e');
  return { id: Number(streamId.slice(0, streamId.indexOf('-'))), event: JSON.parse(fields[index + 1]!) as AgentEvent };
}

function recordFields(record: Partial<SessionRecord>): string[] {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(record)) if (value !== undefined) fields.push(name, String(value));
  return fields;
}

function hashRecord(id: string, hash: Record<string, string>): SessionRecord {
  return {
    id,
    userId: hash.userId!,
    ...(hash.title !== undefined ? { title: hash.title } : {}),
    ...(hash.model !== undefined ? { model: hash.model } : {}),
    createdAt: Number(hash.createdAt),
    updatedAt: Number(hash.updatedAt),
    lastActiveAt: Number(hash.lastActiveAt),
    messageCount: Number(hash.messageCount ?? 0),
    lastEventId: Number(hash.lastEventId ?? 0),
  };
}

function parseState(id: string, hash: Record<string, string>): ConversationState {
  return hash.state ? (JSON.parse(hash.state) as ConversationState) : createConversationState(id);
}
