/** `@agent-chat/server/redis`: the Redis session store and the cluster of processes it carries (needs `ioredis`). */
import type { SessionStore } from './session-store.js';
import { RedisCluster } from '../cluster/redis.js';
import { RedisSessionStore, type RedisStoreOptions } from './redis-store.js';

export type { RedisStoreOptions } from './redis-store.js';
export type { RedisClusterOptions } from '../cluster/redis.js';
export { redisAttachmentStore, type RedisAttachmentStoreOptions } from './redis-attachment-store.js';
// The contract this entry's stores implement, so its API reads on its own.
export type * from './store-contract.js';

/**
 * A {@link SessionStore} in Redis, for several server processes behind a load
 * balancer (any request may land on any process; no sticky sessions needed).
 * Sessions and their logs (Redis Streams, so a client resumes on any process)
 * are kept by the store; the processes coordinate through the cluster it
 * carries: the one running a session's turn holds its lease
 * and writes its log, the others follow it and forward approvals, interrupts
 * and titles to it; a turn whose process died ends with `turn_lost`.
 *
 * Three connections per process: commands, the blocking reader, pub/sub.
 */
export function redisStore(options: RedisStoreOptions = {}): SessionStore {
  return new RedisSessionStore(options, (store) => new RedisCluster(store, options));
}
