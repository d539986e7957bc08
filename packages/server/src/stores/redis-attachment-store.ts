import { Redis } from 'ioredis';
import { collectBytes, streamOfBytes, type AttachmentRecord, type AttachmentStore } from './attachment-store.js';

/** Options of {@link redisAttachmentStore}. */
export interface RedisAttachmentStoreOptions {
  /** Where Redis is. Default `redis://127.0.0.1:6379`. Ignored when `client` is given. */
  url?: string;
  /** A connection to use (not closed by the store). */
  client?: Redis;
  /** Key prefix. Default `agent-chat` (the session store's default: their keys do not collide). */
  prefix?: string;
}

/**
 * An {@link AttachmentStore} in Redis, shared by every process of a Redis
 * deployment: per session, one hash of records (`<prefix>:attachments:<session>`)
 * and one string per file's bytes (`<prefix>:attachment:<session>:<id>`),
 * written together in one `MULTI`, so a file is there whole or not at all.
 * Redis keeps everything in memory: fit for small files (the default 10 MiB
 * limit, a modest quota per user); for large ones use `fileAttachmentStore`
 * on a volume the processes share.
 */
export function redisAttachmentStore(options: RedisAttachmentStoreOptions = {}): AttachmentStore {
  const prefix = options.prefix ?? 'agent-chat';
  const redis = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379');
  if (!options.client) redis.on('error', (error: unknown) => console.error('[agent-chat] redis attachment store:', error));
  const records = (sessionId: string) => `${prefix}:attachments:${sessionId}`;
  const bytesKey = (sessionId: string, id: string) => `${prefix}:attachment:${sessionId}:${id}`;
  const parse = (json: string | null): AttachmentRecord | undefined => (json === null ? undefined : (JSON.parse(json) as AttachmentRecord));

  return {
    kind: 'redis',
    async put(id, bytes, describe) {
      const all = await collectBytes(bytes);
      const record = await describe();
      await redis
        .multi()
        .set(bytesKey(record.sessionId, id), Buffer.from(all.buffer, all.byteOffset, all.byteLength))
        .hset(records(record.sessionId), id, JSON.stringify(record))
        .exec();
      return record;
    },
    async get(sessionId, id) {
      return parse(await redis.hget(records(sessionId), id));
    },
    async open(sessionId, id) {
      if (!(await redis.hexists(records(sessionId), id))) return undefined;
      const bytes = await redis.getBuffer(bytesKey(sessionId, id));
      return bytes ? streamOfBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) : undefined;
    },
    async update(record) {
      if (await redis.hexists(records(record.sessionId), record.id)) await redis.hset(records(record.sessionId), record.id, JSON.stringify(record));
    },
    async delete(sessionId, id) {
      await redis.multi().hdel(records(sessionId), id).del(bytesKey(sessionId, id)).exec();
    },
    async list(sessionId) {
      const all = (await redis.hvals(records(sessionId))).map((json) => JSON.parse(json) as AttachmentRecord);
      return all.sort((a, b) => a.createdAt - b.createdAt);
    },
    async deleteSession(sessionId) {
      const ids = await redis.hkeys(records(sessionId));
      await redis.del(records(sessionId), ...ids.map((id) => bytesKey(sessionId, id)));
    },
    async close() {
      if (!options.client) await redis.quit().catch(() => {});
    },
  };
}
