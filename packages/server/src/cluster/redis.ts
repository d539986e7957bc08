import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Cluster, ClusterCommand, ClusterHost, ClusterNotice, ClusterReply } from './cluster.js';

/** What the cluster needs of the Redis store whose processes it coordinates (`RedisSessionStore`). */
export interface RedisSharedLog {
  /** The connection for commands. */
  readonly client: Redis;
  /** A key or channel under the store's prefix. */
  key(...parts: string[]): string;
  /** Brings this process's copy of the session's log up to date with the shared one. */
  sync(sessionId: string): Promise<void>;
  /** Resolves once every write of the session's log sent so far is done. */
  flushed(sessionId: string): Promise<unknown>;
  /** This process may not write the session's log any more: its writes stop. */
  fence(sessionId: string): void;
  /** Reports background failures to `logger` from now on. */
  useLogger(logger: Pick<Console, 'warn' | 'error'>): void;
}

/** Options of {@link RedisCluster} (part of `redisStore()`'s options). */
export interface RedisClusterOptions {
  /**
   * Time to live of the lease of the process running a session's turn, in ms;
   * renewed every third of it. When that process dies, the session's
   * subscribers in other processes get `error` `turn_lost` within 1.5 × this
   * (plus a few Redis round trips). Default 10 000.
   */
  leaseMs?: number;
  /** How long a request forwarded to the process running the turn may take, in ms. Default 5 000. */
  forwardTimeoutMs?: number;
}

type ControlMessage =
  | { type: 'command'; requestId: string; from: string; sessionId: string; command: ClusterCommand }
  | { type: 'reply'; requestId: string; reply: ClusterReply | null };

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The processes sharing a Redis store: leases, forwarded commands, notices and
 * lost turns. Its store keeps the sessions and their logs (see `redisStore()`).
 *
 * - The process running a session's turn holds the session's lease (SET NX PX
 *   `leaseMs`, renewed every third of it), and only it writes the log.
 * - A command for the writer (approvals, interrupt, a title) posted to another
 *   process is forwarded to it over pub/sub; its reply comes back the same way.
 *   Stream shutdowns, deletions and model changes are broadcast.
 * - If the writer dies, a follower takes the lease over once it expires and
 *   ends the turn with `error` `turn_lost` (retryable).
 *
 * One connection of its own (pub/sub); commands go through the store's.
 */
export class RedisCluster implements Cluster {
  readonly clustered = true;
  readonly #store: RedisSharedLog;
  readonly #instanceId = randomUUID();
  readonly #leaseMs: number;
  readonly #forwardTimeoutMs: number;
  readonly #sub: Redis;
  readonly #ready: Promise<void>;
  #logger: Pick<Console, 'warn' | 'error'>;
  #host: ClusterHost | undefined;
  /** Sessions whose lease this process holds. */
  readonly #held = new Set<string>();
  /** Releases in progress, by session; `acquire` cancels them. */
  readonly #releasing = new Map<string, Promise<void>>();
  readonly #pendingReplies = new Map<string, (reply: ClusterReply | null) => void>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  #closed = false;

  constructor(store: RedisSharedLog, options: RedisClusterOptions & { logger?: Pick<Console, 'warn' | 'error'> } = {}) {
    this.#store = store;
    this.#leaseMs = Math.max(100, options.leaseMs ?? 10_000);
    this.#forwardTimeoutMs = options.forwardTimeoutMs ?? 5_000;
    this.#logger = options.logger ?? console;
    const sub = store.client.duplicate();
    this.#sub = sub;
    // ioredis reconnects on its own; an unhandled 'error' event would crash the process.
    sub.on('error', (error: unknown) => this.#logger.error('[agent-chat] redis store:', error));
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.#onMessage(message.toString()));
    this.#ready = (async () => {
      await sub.subscribe(store.key('ctl', this.#instanceId), store.key('notices'));
    })();
    // A failed start surfaces on the first call that awaits it.
    this.#ready.catch(() => {});
  }

  /** Resolves once this process listens for commands and notices. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  attach(host: ClusterHost): void {
    this.#host = host;
    this.#logger = host.logger;
    this.#store.useLogger(host.logger);
    // Renew every held lease three times per lease time.
    const renew = setInterval(() => void this.#renewLeases(), Math.floor(this.#leaseMs / 3));
    // Look for turns whose writer is gone twice per lease time.
    const watch = setInterval(() => void this.#watchLostTurns(), Math.floor(this.#leaseMs / 2));
    for (const timer of [renew, watch]) {
      timer.unref?.();
      this.#timers.push(timer);
    }
  }

  sync(sessionId: string): Promise<void> {
    return this.#store.sync(sessionId);
  }

  holds(sessionId: string): boolean {
    return this.#held.has(sessionId);
  }

  async acquire(id: string): Promise<boolean> {
    if (this.#held.has(id)) {
      // Taken back before the release went through: the release is cancelled (it checks `#releasing`).
      this.#releasing.delete(id);
      return true;
    }
    if (this.#closed) return false;
    // A release past the point of no return: let it finish, then compete for the lease like anyone.
    await this.#releasing.get(id);
    await this.#ready;
    const taken = await this.#store.client.set(this.#leaseKey(id), this.#instanceId, 'PX', this.#leaseMs, 'NX');
    if (taken !== 'OK') return false;
    this.#held.add(id);
    // The previous writer flushed its log before releasing (or died): read up to its end before writing.
    try {
      await this.#store.sync(id);
    } catch (error) {
      this.release(id);
      throw error;
    }
    return true;
  }

  release(id: string): void {
    if (!this.#held.has(id) || this.#releasing.has(id)) return;
    let releasing: Promise<void> | undefined = undefined;
    releasing = (async () => {
      await this.#store.flushed(id);
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

  forget(id: string): void {
    this.#held.delete(id);
  }

  async run(sessionId: string, command: ClusterCommand): Promise<ClusterReply | undefined> {
    if (this.#held.has(sessionId)) return this.#host?.command(sessionId, command);
    return this.#forward(sessionId, command);
  }

  async broadcast(notice: ClusterNotice): Promise<void> {
    if (this.#closed) return;
    await this.#store.client.publish(this.#store.key('notices'), JSON.stringify({ from: this.#instanceId, notice }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.allSettled([...this.#releasing.values()]);
    // Give the leases still held back (their turns were interrupted by the session manager's close).
    await Promise.allSettled([...this.#held].map((id) => this.#releaseNow(id)));
    for (const resolve of this.#pendingReplies.values()) resolve(null);
    this.#sub.disconnect();
  }

  /**
   * This process may no longer write the session (its lease expired while it
   * stalled): stop writing, and have the host drop its copy and stop its turn.
   */
  #drop(id: string): void {
    this.#store.fence(id);
    this.#held.delete(id);
    this.#logger.warn(`[agent-chat] redis store: session ${id} is no longer written by this process; its copy here is dropped.`);
    this.#host?.unload(id);
  }

  #leaseKey(id: string): string {
    return this.#store.key('lease', id);
  }

  async #forward(sessionId: string, command: ClusterCommand): Promise<ClusterReply | undefined> {
    if (this.#closed) return undefined;
    await this.#ready;
    const client = this.#store.client;
    const leaseKey = this.#leaseKey(sessionId);
    const owner = await client.get(leaseKey);
    if (!owner) return undefined;
    // The owner holds the lease but does not answer (dead, or stalled): say so, retryably. The lease
    // expires within its time to live, and the turn is then ended as lost (or the owner answers again).
    const unreachable = async (): Promise<ClusterReply> => {
      const ttlMs = await client.pttl(leaseKey).catch(() => this.#leaseMs);
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
    const receivers = await client.publish(this.#store.key('ctl', owner), JSON.stringify(message));
    if (receivers === 0) {
      this.#pendingReplies.get(requestId)?.(null);
      // Nobody listens on the owner's channel: it is gone, or already gave the lease up.
      if ((await client.get(leaseKey)) !== owner) return undefined;
      return unreachable();
    }
    return (await reply) ?? undefined;
  }

  async #releaseNow(id: string): Promise<void> {
    this.#held.delete(id);
    await this.#store.client.eval(RELEASE, 1, this.#leaseKey(id), this.#instanceId);
  }

  async #renewLeases(): Promise<void> {
    // All at once, in one round trip: one after the other, the last of N leases waited N round trips
    // (times the event loop's delay under load) and expired before its turn came.
    await Promise.all(
      [...this.#held].map(async (id) => {
        try {
          const renewed = await this.#store.client.eval(RENEW, 1, this.#leaseKey(id), this.#instanceId, this.#leaseMs);
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
    for (const id of [...host.midTurn()]) {
      if (this.#held.has(id)) continue;
      try {
        if ((await this.#store.client.exists(this.#leaseKey(id))) === 0) await host.recover(id);
      } catch (error) {
        this.#logger.error(`[agent-chat] redis store: could not check session ${id}:`, error);
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
    // Not (or no longer) the writer: the sender sees no owner and decides.
    const reply = this.#held.has(message.sessionId) ? (this.#host?.command(message.sessionId, message.command) ?? null) : null;
    const answer: ControlMessage = { type: 'reply', requestId: message.requestId, reply };
    this.#store.client
      .publish(this.#store.key('ctl', message.from), JSON.stringify(answer))
      .catch((error: unknown) => this.#logger.error('[agent-chat] redis store: could not reply:', error));
  }
}
