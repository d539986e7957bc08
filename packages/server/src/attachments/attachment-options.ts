import type { AttachmentStore } from '../stores/attachment-store.js';

/**
 * Attachments: where their bytes go and the limits on them
 * (`ChatServerOptions.attachments`; docs/attachments.md).
 */
export interface AttachmentOptions {
  /**
   * Where bytes and records live. Default `memoryAttachmentStore()` (gone at a
   * restart). With several processes (Redis sessions) use a store they share:
   * `fileAttachmentStore({ directory })` on a shared volume, or
   * `redisAttachmentStore()` from `@agent-chat/server/redis` for small files.
   */
  store?: AttachmentStore;
  /** Largest file, in bytes. Default 10 MiB; larger is 413 `attachment_too_large` and nothing is stored. */
  maxFileBytes?: number;
  /** Most files one message may carry. Default 10; more is 422 `too_many_attachments`. */
  maxFilesPerMessage?: number;
  /**
   * Most bytes one user may keep stored over all their sessions (drafts and
   * sent files). Default 100 MiB; an upload past it is 429
   * `attachment_quota_exceeded` with `Retry-After`.
   */
  maxBytesPerUser?: number;
  /**
   * Media types accepted, as detected from the bytes. Default
   * {@link DEFAULT_ATTACHMENT_MEDIA_TYPES}. Only those the agent also takes
   * (`Agent.attachments`) are accepted and advertised.
   */
  mediaTypes?: readonly string[];
}

/** Images the models read, PDF and plain text formats. */
export const DEFAULT_ATTACHMENT_MEDIA_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
];

/** The defaults of {@link AttachmentOptions}' limits. */
export const DEFAULT_ATTACHMENT_LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxFilesPerMessage: 10,
  maxBytesPerUser: 100 * 1024 * 1024,
} as const;
