import { ChatApiError, type ChatClientOptions } from '@agent-chat/core';
import type { AttachmentHost } from '../../client.js';
import type { AgentChatStrings, AttachmentStrings } from '../../strings.js';
import { DEFAULT_ATTACHMENT_STRINGS } from './attachment-strings.js';

/** The attachment strings: the defaults under the element's replacements. */
export function attachmentStrings(overrides: Partial<AgentChatStrings> | undefined): AttachmentStrings {
  const strings = { ...DEFAULT_ATTACHMENT_STRINGS };
  for (const key of Object.keys(strings) as (keyof AttachmentStrings)[]) {
    const value = overrides?.[key];
    if (typeof value === 'string') strings[key] = value;
  }
  return strings;
}

/**
 * The client options and session id files go to, and a signal that ends with
 * the session (and `signal`, when given).
 *
 * @throws {ChatApiError} `attachments_unavailable` without a host, a client with options, or an open session.
 */
export function target(host: AttachmentHost | undefined, signal?: AbortSignal): { options: ChatClientOptions; sessionId: string; signal: AbortSignal } {
  const options = host?.client.options;
  const sessionId = host?.session.sessionId;
  if (!options || !sessionId) {
    throw new ChatApiError({
      status: 0,
      code: 'attachments_unavailable',
      message: options ? 'The session is not open yet.' : 'Files need a ChatClient from @agent-chat/core (its options tell where to send them).',
    });
  }
  return { options, sessionId, signal: signal ? AbortSignal.any([signal, host.session.signal]) : host.session.signal };
}

/** Whether a file of `type` is among the server's `mediaTypes` (`image/png`, `image/*`, `*\/*`). Unknown types pass: the server decides from the bytes. */
export function acceptsType(mediaTypes: readonly string[] | undefined, type: string): boolean {
  if (!mediaTypes?.length || !type) return true;
  const [major] = type.split('/');
  return mediaTypes.some((accepted) => accepted === type || accepted === '*/*' || accepted === `${major}/*`);
}

/** Images a browser shows in an `<img>`: thumbnails and the lightbox. */
export function isImage(mediaType: string): boolean {
  return /^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(mediaType);
}
