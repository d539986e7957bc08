import type { Attachment } from '@agent-chat/core';
import type { MaybePromise } from './session-store.js';

/** What a store keeps about one attachment besides its bytes. */
export interface AttachmentRecord extends Attachment {
  /** The session it was uploaded to; it is deleted with it. */
  sessionId: string;
  /** The session's owner, whose quota it counts against. */
  userId: string;
  /** Upload time, milliseconds since the Unix epoch. */
  createdAt: number;
  /** The user message that sent it; absent while it is a draft (deletable). */
  messageId?: string;
}

/**
 * Where attachments' bytes and records live. Ids are made by the server
 * (random UUIDs); a store never uses a name or a path from a request.
 *
 * Implementations: {@link memoryAttachmentStore} (default), `fileAttachmentStore`
 * (a directory, for one process or several sharing it), `redisAttachmentStore`
 * from `@agent-chat/server/redis` (small files, several processes).
 */
export interface AttachmentStore {
  /** `memory`, `file`, `redis`: for messages. */
  readonly kind: string;
  /**
   * Stores a new attachment: reads `bytes` to the end, then asks `describe`
   * for its record (which may throw to refuse it), then makes bytes and record
   * visible at once. When `bytes` or `describe` throws, nothing is stored and
   * the error is rethrown.
   */
  put(id: string, bytes: AsyncIterable<Uint8Array>, describe: () => MaybePromise<AttachmentRecord>): Promise<AttachmentRecord>;
  /** The record of attachment `id` of session `sessionId`; `undefined` when there is none. */
  get(sessionId: string, id: string): MaybePromise<AttachmentRecord | undefined>;
  /** The bytes of attachment `id` of session `sessionId`, as a stream; `undefined` when there is none. */
  open(sessionId: string, id: string): MaybePromise<ReadableStream<Uint8Array> | undefined>;
  /** Replaces the record (`messageId` set or cleared); nothing when it is gone. */
  update(record: AttachmentRecord): MaybePromise<void>;
  /** Deletes one attachment, bytes and record. */
  delete(sessionId: string, id: string): MaybePromise<void>;
  /** The session's attachments, oldest first. */
  list(sessionId: string): MaybePromise<AttachmentRecord[]>;
  /** Deletes every attachment of the session. */
  deleteSession(sessionId: string): MaybePromise<void>;
  /** Releases connections or timers. */
  close?(): Promise<void>;
}

/** Reads bytes to the end into one buffer (for stores that keep bytes in memory or in Redis, and for agents). */
export async function collectBytes(bytes: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  if ('getReader' in bytes) {
    const reader = bytes.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
      length += read.value.byteLength;
    }
  } else {
    for await (const chunk of bytes) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
  }
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** A stream of one buffer, in slices of 64 KiB. */
export function streamOfBytes(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 65_536));
      offset += 65_536;
    },
  });
}
