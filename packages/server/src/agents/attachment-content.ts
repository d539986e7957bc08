import type { Attachment, ChatMessage } from '@agent-chat/core';
import type { AgentContext } from './agent.js';

/** Media types whose bytes are UTF-8 text, sent to a model inline. */
const INLINE_TEXT = /^text\/|^application\/(json|xml)$|\+xml$/;

/** The files of a turn's conversation, by id: read once per turn; `undefined` for one that is gone. */
export type AttachmentBytes = ReadonlyMap<string, Uint8Array | undefined>;

/**
 * Reads the bytes of every file in `history` and `input` with
 * `ctx.readAttachment` (all at once). A file that cannot be read (deleted
 * meanwhile) maps to `undefined`: the model is told it is gone.
 */
export async function readTurnAttachments(ctx: Pick<AgentContext, 'history' | 'input' | 'readAttachment'>): Promise<AttachmentBytes> {
  const all = [...ctx.history.flatMap((message) => message.attachments ?? []), ...(ctx.input.attachments ?? [])];
  const read = ctx.readAttachment;
  const entries = await Promise.all(
    all.map(async (attachment): Promise<[string, Uint8Array | undefined]> => [
      attachment.id,
      read ? await read(attachment).catch(() => undefined) : undefined,
    ]),
  );
  return new Map(entries);
}

/** Whether a file is text that a model reads inline. */
export function isInlineText(mediaType: string): boolean {
  return INLINE_TEXT.test(mediaType);
}

/** A text file as the model reads it inline: its name and type, then its content. */
export function inlineTextOf(attachment: Attachment, bytes: Uint8Array): string {
  return `<file name=${JSON.stringify(attachment.name)} type="${attachment.mediaType}">\n${new TextDecoder().decode(bytes)}\n</file>`;
}

/** What the model is told of a file it cannot have (gone, or a type it does not read). */
export function missingFileText(attachment: Attachment): string {
  return `[The file ${JSON.stringify(attachment.name)} (${attachment.mediaType}) is no longer available.]`;
}

/** The user's text of a message, without empty parts. */
export function userTexts(message: Pick<ChatMessage, 'parts' | 'summary'>): string[] {
  return message.parts.flatMap((part) =>
    part.type === 'text' && part.text.trim() !== '' ? [message.summary ? `Summary of the earlier conversation:\n\n${part.text}` : part.text] : [],
  );
}

/** Base64 of bytes (the Messages API's image and document sources). */
export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
