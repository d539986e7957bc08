import { randomUUID } from 'node:crypto';
import type { Attachment, AttachmentLimits, ChatMessage } from '@agent-chat/core';
import type { Agent } from '../agents/agent.js';
import { ChatError } from '../chat-error.js';
import { collectBytes, type AttachmentRecord, type AttachmentStore } from '../stores/attachment-store.js';
import { memoryAttachmentStore } from '../stores/memory-attachment-store.js';
import { DEFAULT_ATTACHMENT_LIMITS, DEFAULT_ATTACHMENT_MEDIA_TYPES, type AttachmentOptions } from './attachment-options.js';
import { UploadInspector } from './inspect-upload.js';

/** The session an attachment request is about (already checked to be the caller's). */
export interface AttachmentOwner {
  /** Session id. */
  id: string;
  userId: string;
}

/** One file of a multipart upload, as the HTTP layer reads it. */
export interface IncomingFile {
  /** The file name as sent (display only). */
  name: string;
  /** The client's claimed type (checked against the bytes). */
  mediaType: string;
  bytes: AsyncIterable<Uint8Array>;
}

/** When an upload over the quota may be retried, in seconds: space frees as the user deletes drafts or sessions. */
const QUOTA_RETRY_AFTER_SECONDS = 60;

/**
 * What a request can do with attachments: upload (type from the bytes, limits
 * enforced), read, delete a draft, and check the files a message sends. The
 * sessions' ownership is checked by the caller (the session service); this
 * service knows sessions only by id.
 */
export class AttachmentService {
  readonly store: AttachmentStore;
  readonly #agent: Agent;
  readonly #maxFileBytes: number;
  readonly #maxFilesPerMessage: number;
  readonly #maxBytesPerUser: number;
  /** Server allowlist and agent's types, both. */
  readonly #mediaTypes: ReadonlySet<string>;
  /** The user's sessions' ids, to sum their bytes. */
  readonly #sessionsOf: (userId: string) => Promise<readonly string[]>;

  constructor(options: AttachmentOptions, agent: Agent, sessionsOf: (userId: string) => Promise<readonly string[]>) {
    this.store = options.store ?? memoryAttachmentStore();
    this.#agent = agent;
    this.#maxFileBytes = options.maxFileBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxFileBytes;
    this.#maxFilesPerMessage = options.maxFilesPerMessage ?? DEFAULT_ATTACHMENT_LIMITS.maxFilesPerMessage;
    this.#maxBytesPerUser = options.maxBytesPerUser ?? DEFAULT_ATTACHMENT_LIMITS.maxBytesPerUser;
    const agentTypes = new Set(agent.attachments?.mediaTypes ?? []);
    this.#mediaTypes = new Set((options.mediaTypes ?? DEFAULT_ATTACHMENT_MEDIA_TYPES).filter((type) => agentTypes.has(type)));
    this.#sessionsOf = sessionsOf;
  }

  /** Whether any file can be sent: the agent takes at least one allowed type. */
  get enabled(): boolean {
    return this.#mediaTypes.size > 0;
  }

  /** The limits, as `/health` tells them. */
  get limits(): AttachmentLimits {
    return {
      maxFileBytes: this.#maxFileBytes,
      maxFilesPerMessage: this.#maxFilesPerMessage,
      maxBytesPerUser: this.#maxBytesPerUser,
      mediaTypes: [...this.#mediaTypes],
    };
  }

  /** The most bytes an upload request may carry: the file plus room for the multipart framing. */
  get maxRequestBytes(): number {
    return this.#maxFileBytes + 64 * 1024;
  }

  /**
   * Stores a file for the session: streamed to the store as it arrives, its
   * type detected from the bytes. Nothing is stored when anything fails.
   * @throws {ChatError} `attachments_disabled`; `attachment_too_large`; `unsupported_media_type`;
   *   `attachment_quota_exceeded` (with `retryAfterSeconds`).
   */
  async upload(owner: AttachmentOwner, file: IncomingFile): Promise<Attachment> {
    this.assertEnabled();
    if ((await this.usedBytes(owner.userId)) >= this.#maxBytesPerUser) throw this.#quotaExceeded();
    const inspector = new UploadInspector(this.#maxFileBytes);
    const id = randomUUID();
    const name = safeName(file.name);
    const record = await this.store.put(id, inspector.watch(file.bytes), async () => {
      const inspected = await inspector.result(file.mediaType, name, this.#mediaTypes);
      // Counted again with this file's real size: another upload may have landed meanwhile.
      if ((await this.usedBytes(owner.userId)) + inspected.size > this.#maxBytesPerUser) throw this.#quotaExceeded();
      return { id, name, ...inspected, sessionId: owner.id, userId: owner.userId, createdAt: Date.now() } satisfies AttachmentRecord;
    });
    return publicAttachment(record);
  }

  /**
   * The record and bytes of one of the session's files.
   * @throws {ChatError} `attachment_not_found`.
   */
  async open(owner: AttachmentOwner, id: string): Promise<{ attachment: Attachment; body: ReadableStream<Uint8Array> }> {
    const record = await this.store.get(owner.id, id);
    const body = record && (await this.store.open(owner.id, id));
    if (!record || !body) throw attachmentNotFound();
    return { attachment: publicAttachment(record), body };
  }

  /**
   * Deletes a file not sent yet.
   * @param history The session's messages: a file one of them carries is in use.
   * @throws {ChatError} `attachment_not_found`; `attachment_in_use`.
   */
  async remove(owner: AttachmentOwner, id: string, history: readonly ChatMessage[]): Promise<void> {
    const record = await this.store.get(owner.id, id);
    if (!record) throw attachmentNotFound();
    if (sentIds(history).has(id)) {
      throw new ChatError('attachment_in_use', 'This file was sent with a message; it stays until the message is undone or the session deleted.');
    }
    await this.store.delete(owner.id, id);
  }

  /**
   * The files a message will carry, checked: the session's own, not sent
   * yet, not too many, each of a type the agent (and `model`) takes.
   * @throws {ChatError} `attachments_disabled`; `too_many_attachments`; `invalid_attachments`
   *   (unknown or already sent, with one issue each); `unsupported_attachment`.
   */
  async forMessage(owner: AttachmentOwner, ids: readonly string[], history: readonly ChatMessage[], model: string | undefined): Promise<Attachment[]> {
    if (ids.length === 0) return [];
    this.assertEnabled();
    if (ids.length > this.#maxFilesPerMessage) {
      throw new ChatError('too_many_attachments', `A message may carry ${this.#maxFilesPerMessage} files at most; this one has ${ids.length}.`);
    }
    const sent = sentIds(history);
    const issues: { path: (string | number)[]; message: string }[] = [];
    const records = await Promise.all(ids.map((id) => this.store.get(owner.id, id)));
    records.forEach((record, index) => {
      if (!record) issues.push({ path: ['attachments', index], message: 'No such attachment in this session; upload it first' });
      else if (sent.has(record.id) || ids.indexOf(record.id) !== index) issues.push({ path: ['attachments', index], message: 'This file was already sent' });
    });
    if (issues.length > 0) throw new ChatError('invalid_attachments', 'Some attachments cannot be sent.', { issues });
    const support = this.#agent.attachments;
    for (const record of records as AttachmentRecord[]) {
      const takes = (support?.mediaTypes.includes(record.mediaType) ?? false) && (support?.supports?.(record.mediaType, model) ?? true);
      if (!takes) {
        throw new ChatError(
          'unsupported_attachment',
          `${model ? `The model ${model}` : 'The agent'} cannot read ${record.mediaType} files (${record.name}); remove it or choose another model.`,
        );
      }
    }
    return (records as AttachmentRecord[]).map(publicAttachment);
  }

  /** How the agent of session `sessionId` reads its files' bytes (`AgentContext.readAttachment`). */
  reader(sessionId: string): (attachment: Attachment) => Promise<Uint8Array> {
    return async (attachment) => {
      const body = await this.store.open(sessionId, attachment.id);
      if (!body) throw new Error(`The attachment ${attachment.name} is no longer stored.`);
      return collectBytes(body);
    };
  }

  /**
   * Deletes the files of the messages an undo or a truncate removed, so the
   * store holds no file that no message or draft refers to.
   */
  async dropRemoved(sessionId: string, before: readonly ChatMessage[], after: readonly ChatMessage[]): Promise<void> {
    const kept = sentIds(after);
    await Promise.all([...sentIds(before)].filter((id) => !kept.has(id)).map((id) => this.store.delete(sessionId, id)));
  }

  /** Bytes the user keeps stored over all their sessions. */
  async usedBytes(userId: string): Promise<number> {
    const lists = await Promise.all((await this.#sessionsOf(userId)).map((id) => this.store.list(id)));
    return lists.flat().reduce((sum, record) => sum + record.size, 0);
  }

  /** @throws {ChatError} `attachments_disabled` when the agent takes no allowed type. */
  assertEnabled(): void {
    if (!this.enabled) throw new ChatError('attachments_disabled', 'This server does not take attachments.');
  }

  #quotaExceeded(): ChatError {
    return new ChatError(
      'attachment_quota_exceeded',
      `Your files take the ${this.#maxBytesPerUser} bytes you may store; delete drafts or old sessions first.`,
      { retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS },
    );
  }
}

/** The ids of the files the messages carry. */
function sentIds(messages: readonly ChatMessage[]): Set<string> {
  return new Set(messages.flatMap((message) => message.attachments?.map((a) => a.id) ?? []));
}

/** The wire shape of a record: no session, user or dates. */
export function publicAttachment(record: AttachmentRecord): Attachment {
  const { id, name, mediaType, size, width, height } = record;
  return { id, name, mediaType, size, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) };
}

/** A display name: the last path segment, no control characters, at most 200 characters; `file` when nothing is left. */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/** 404 `attachment_not_found`: none with this id in this session (or not the caller's). */
export function attachmentNotFound(): ChatError {
  return new ChatError('attachment_not_found', 'No such attachment in this session.');
}
