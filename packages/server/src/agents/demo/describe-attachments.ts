import type { Attachment } from '@agent-chat/core';
import { clip } from '@agent-chat/core/util';
import { DEFAULT_ATTACHMENT_MEDIA_TYPES } from '../../attachments/attachment-options.js';

/** Media types the demo agent takes: the server's default list, and SVG and HTML shown as text. */
export const DEMO_ATTACHMENT_TYPES: readonly string[] = [...DEFAULT_ATTACHMENT_MEDIA_TYPES, 'image/svg+xml', 'text/html'];

/**
 * What the demo agent says about the files of a message: a table of name,
 * type, size and image dimensions, and for each file what reading its bytes
 * gave (the first line of a text file, the byte count of the others), so that
 * `npm start` shows the whole path, upload to agent, offline.
 */
export async function describeAttachments(
  attachments: readonly Attachment[],
  read: ((attachment: Attachment) => Promise<Uint8Array>) | undefined,
): Promise<string> {
  const rows = attachments.map(
    (a) => `| ${cell(a.name)} | ${a.mediaType} | ${formatBytes(a.size)} | ${a.width && a.height ? `${a.width} × ${a.height} px` : '–'} |`,
  );
  const notes: string[] = [];
  for (const attachment of attachments) {
    if (!read) break;
    try {
      const bytes = await read(attachment);
      if (attachment.mediaType.startsWith('text/') || attachment.mediaType === 'application/json') {
        const firstLine = new TextDecoder().decode(bytes.subarray(0, 2048)).split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
        notes.push(`- **${cell(attachment.name)}** starts with: ${JSON.stringify(clip(firstLine.trim(), 80))}`);
      } else {
        notes.push(`- **${cell(attachment.name)}**: I read its ${bytes.byteLength} bytes.`);
      }
    } catch {
      notes.push(`- **${cell(attachment.name)}**: I could not read it (deleted meanwhile?).`);
    }
  }
  return (
    `## Your file${attachments.length === 1 ? '' : 's'}\n\n` +
    `I received ${attachments.length} file${attachments.length === 1 ? '' : 's'}:\n\n` +
    `| File | Type | Size | Image |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n\n` +
    (notes.length > 0 ? `${notes.join('\n')}\n\n` : '') +
    `A model agent would see images and PDFs as they are and text files inline. Send a message without files for the full tour.`
  );
}

/** `68 B`, `1.5 KB`, `2.0 MB` (1 KB = 1024 B). */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A name safe in a markdown table cell and in bold: no pipe, asterisk, backtick or line break. */
function cell(text: string): string {
  return text.replace(/[|*`_[\]\\]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
