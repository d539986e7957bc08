import type { Attachment } from '@agent-chat/core';
import { isTextMediaType } from '../attachments/inspect-upload.js';

/** Types a browser may show in place: raster images and PDF. Everything else downloads. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

/**
 * The headers that serve an uploaded file safely on the host's origin:
 * - `content-type` is the type detected from the bytes, and `nosniff` stops the
 *   browser from guessing another;
 * - `content-security-policy: sandbox; default-src 'none'` makes the file a
 *   sandboxed document with a unique origin and nothing to load, so an HTML or
 *   SVG file opened directly can never run script as the host's page;
 * - `content-disposition` shows images and PDF inline and downloads the rest,
 *   with the name as `filename*` (RFC 6266/8187) and an ASCII fallback.
 * - Private caching: the bytes under an id never change.
 */
export function attachmentHeaders(attachment: Attachment): Record<string, string> {
  const inline = INLINE_TYPES.has(attachment.mediaType);
  return {
    'content-type': isTextMediaType(attachment.mediaType) ? `${attachment.mediaType}; charset=utf-8` : attachment.mediaType,
    'content-length': String(attachment.size),
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', attachment.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    'cache-control': 'private, max-age=3600',
    etag: `"${attachment.id}"`,
  };
}

/** `inline; filename="cat.png"; filename*=UTF-8''cat.png`, the fallback in printable ASCII without quotes or backslashes. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
