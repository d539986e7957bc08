/** `@agent-chat/server/redis`: the Redis session store (needs `ioredis`). */
export { redisStore, type RedisStoreOptions } from './redis-store.js';
