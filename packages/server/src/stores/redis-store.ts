import { createConversationState, type AgentEvent, type ConversationState, type SequencedEvent } from '@agent-chat/core';
import { Redis } from 'ioredis';
import { EventLogGapError, MemoryEventLog, type EventLog } from '../sessions/event-log.js';
import type { Cluster } from '../cluster/cluster.js';
import type { RedisClusterOptions, RedisSharedLog } from '../cluster/redis.js';
import type { CreateRefusal, EventLogHooks, LoadedSession, SessionLimits, SessionRecord, SessionStore } from './session-store.js';
import { DEFAULT_RETAIN_EVENTS, trimLog } from './memory-store.js';

/** Options of `redisStore()`: where Redis is, retention, and the cluster's leases. */
export interface RedisStoreOptions extends RedisClusterOptions {
  /** Where Redis is, e.g. `redis://127.0.0.1:6379`. Default that. Ignored when `client` is given. */
  url?: string;
  /**
   * An ioredis client to use for commands; the store makes two more
   * connections from it (`duplicate()`): one for the blocking stream reader, one
   * for the cluster's pub/sub. The store does not close a client it was given.
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
  hooks: EventLogHooks;
}
/** Inserts a session unless a limit is reached or its id is taken; the score is a cluster-wide creation counter (ties impossible). */
const CREATE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 'session_exists' end
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
 * Sessions and their logs in Redis, for several server processes behind a
 * load balancer (`redisStore()` joins it to the {@link RedisCluster} that
 * coordinates them):
 *
 * - Sessions are hashes, listed per user in sorted sets; creation checks the
 *   limits atomically (a Lua script).
 * - Each session's event log is a Redis Stream whose entry ids are the
 *   protocol's ids (`N-0`), so `Last-Event-ID` means the same on every process.
 *   The process running a turn (the cluster's writer) fans events out to its
 *   own clients at once and writes them behind (XADD MAXLEN ~ `maxLen`,
 *   pipelined in order); the others follow with one multiplexed `XREAD BLOCK`
 *   connection. Only the writer checkpoints.
 * - Explicit stream ids fence writers: a process that lost its lease cannot
 *   append (XADD refuses an id at or below the stream's top).
 *
 * Two connections: commands, and the blocking reader.
 */
export class RedisSessionStore implements SessionStore, RedisSharedLog {
  readonly kind = 'redis';
  readonly durable = true;
  /** The processes sharing this store; it decides who writes (checkpoints) a session. */
  readonly cluster: Cluster | undefined;
  readonly #prefix: string;
  readonly #retain: number;
  readonly #maxLen: number;
  readonly #ownsClient: boolean;
  readonly #cmd: Redis;
  readonly #reader: Redis;
  #logger: Pick<Console, 'warn' | 'error'>;
  readonly #followed = new Map<string, Followed>();
  readonly #ready: Promise<void>;
  #readerId: number | undefined;
  #wake: (() => void) | undefined;
  #readLoop: Promise<void> | undefined;
  #closed = false;

  /** @param cluster Makes the cluster of the processes sharing this store (`redisStore()` passes the Redis one). */
  constructor(options: RedisStoreOptions, cluster?: (store: RedisSessionStore) => Cluster & { readonly ready?: Promise<void> }) {
    this.#prefix = options.prefix ?? 'agent-chat';
    this.#retain = options.retainEvents ?? DEFAULT_RETAIN_EVENTS;
    this.#maxLen = options.maxLen ?? 100_000;
    this.#logger = options.logger ?? console;
    this.#ownsClient = !options.client;
    this.#cmd = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
    const reader = this.#cmd.duplicate();
    this.#reader = reader;
    for (const connection of [this.#cmd, reader]) {
      // ioredis reconnects on its own; an unhandled 'error' event would crash the process.
      connection.on('error', (error: unknown) => this.#logger.error('[agent-chat] redis store:', error));
    }
    const made = cluster?.(this);
    this.cluster = made;
    this.#ready = (async () => {
      this.#readerId = Number(await reader.client('ID'));
      await made?.ready;
    })();
    // A failed start surfaces on the first call that awaits it.
    this.#ready.catch(() => {});
    this.#readLoop = this.#runReader();
  }

  /** The connection for commands (the cluster's leases and messages use it too). */
  get client(): Redis {
    return this.#cmd;
  }

  /** A key or channel under the store's prefix. */
  key(...parts: string[]): string {
    return [this.#prefix, ...parts].join(':');
  }

  /** Reports background failures to `logger` from now on. */
  useLogger(logger: Pick<Console, 'warn' | 'error'>): void {
    this.#logger = logger;
  }

  // ---------------------------------------------------------------- SessionStore

  async create(record: SessionRecord, limits: SessionLimits, hooks: EventLogHooks): Promise<EventLog | CreateRefusal> {
    await this.#ready;
    const fields = recordFields(record);
    const result = (await this.#cmd.eval(
      CREATE,
      4,
      this.key('sessions'),
      this.key('user', record.userId),
      this.key('session', record.id),
      this.key('created'),
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
      .hgetall(this.key('session', id))
      .xrange(this.key('log', id), '-', '+')
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
    const ids = await this.#cmd.zrevrange(this.key('user', userId), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.#cmd.pipeline();
    for (const id of ids) pipeline.hgetall(this.key('session', id));
    const results = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const hash = results[i]?.[1] as Record<string, string> | undefined;
      return hash?.userId ? [hashRecord(id, hash)] : [];
    });
  }

  async count(): Promise<number> {
    await this.#ready;
    return this.#cmd.zcard(this.key('sessions'));
  }

  update(record: SessionRecord): void {
    this.#cmd
      .hset(this.key('session', record.id), ...recordFields(record))
      .catch((error: unknown) => this.#logger.error(`[agent-chat] redis store: could not update session ${record.id}:`, error));
  }

  checkpoint(record: SessionRecord, state: ConversationState, log: EventLog): void {
    // Followers see the same state; only the writer persists it (a late follower must not overwrite a newer checkpoint).
    if (this.cluster && !this.cluster.holds(record.id)) {
      trimLog(log, state, this.#retain);
      return;
    }
    const key = this.key('session', record.id);
    const upTo = trimLog(log, state, this.#retain);
    const pipeline = this.#cmd.pipeline().hset(key, ...recordFields(record), 'state', JSON.stringify(state), 'stateEventId', String(state.lastEventId));
    if (upTo > 0) pipeline.xtrim(this.key('log', record.id), 'MINID', `${upTo + 1}-0`);
    const followed = this.#followed.get(record.id);
    const written = pipeline.exec().catch((error: unknown) => this.#logger.error(`[agent-chat] redis store: could not checkpoint session ${record.id}:`, error));
    if (followed) followed.lastWrite = written;
  }

  async delete(id: string): Promise<void> {
    await this.#ready;
    await this.#cmd.eval(
      DELETE,
      4,
      this.key('session', id),
      this.key('log', id),
      this.key('lease', id),
      this.key('sessions'),
      id,
      `${this.#prefix}:user:`,
    );
  }

  forget(id: string): void {
    this.#followed.delete(id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // The cluster first: its leases are given back once the writes they cover are flushed.
    await this.cluster?.close();
    this.#closed = true;
    await Promise.allSettled([...this.#followed.values()].map((f) => f.lastWrite));
    await this.#unblockReader();
    await this.#readLoop?.catch(() => {});
    this.#reader.disconnect();
    if (this.#ownsClient) await this.#cmd.quit().catch(() => this.#cmd.disconnect());
  }

  /** Brings this process's copy of the session's log up to date with the shared one. */
  async sync(id: string): Promise<void> {
    const followed = this.#followed.get(id);
    // Closed: the copy in memory is all there is (the server answers 503 from here on).
    if (!followed || this.#closed) return;
    const entries = await this.#cmd.xrange(this.key('log', id), `${followed.log.lastId}-1`, '+');
    this.#ingest(id, followed, entries);
  }

  /** Resolves once every write of the session's log sent so far is done. */
  flushed(id: string): Promise<unknown> {
    return this.#followed.get(id)?.lastWrite ?? Promise.resolve();
  }

  /** This process may not write the session's log any more: its writes stop. */
  fence(id: string): void {
    const followed = this.#followed.get(id);
    if (followed) followed.fenced = true;
  }

  // ------------------------------------------------------------------- internals

  /** Starts following a session: its log, written behind to the stream while this process holds the lease. */
  #follow(id: string, hooks: EventLogHooks, events: SequencedEvent[], startAfter: number): MemoryEventLog {
    const followed: Followed = {
      log: undefined as unknown as MemoryEventLog,
      lastWrite: Promise.resolve(),
      fenced: false,
      hooks,
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
      .xadd(this.key('log', id), 'MAXLEN', '~', String(this.#maxLen), `${eventId}-0`, 'e', JSON.stringify(event))
      .catch((error: unknown) => {
        if (followed.fenced) return;
        this.#logger.error(`[agent-chat] redis store: could not write event ${eventId} of session ${id}:`, error);
        // Another process took the session over (or Redis failed): stop writing, and let this copy go
        // (its turn stops; the next request loads it afresh).
        followed.fenced = true;
        this.#logger.warn(`[agent-chat] redis store: session ${id} is no longer written by this process; its copy here is dropped.`);
        followed.hooks.onDetached?.(id);
      });
  }

  #ingest(id: string, followed: Followed, entries: [string, string[]][]): void {
    try {
      for (const entry of entries) followed.log.ingest(toSequenced(entry));
    } catch (error) {
      if (!(error instanceof EventLogGapError)) throw error;
      // Trimmed past this copy (it fell far behind): drop it; clients reconnect and get a snapshot.
      this.#followed.delete(id);
      followed.hooks.onDetached?.(id);
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
          ...followed.map(([id]) => this.key('log', id)),
          ...followed.map(([, f]) => `${f.log.lastId}-0`),
        )) as [string, [string, string[]][]][] | null;
      } catch (error) {
        if (this.#closed) return;
        this.#logger.error('[agent-chat] redis store: stream reader failed; retrying:', error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [key, entries] of result ?? []) {
        const id = key.slice(this.key('log').length + 1);
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
