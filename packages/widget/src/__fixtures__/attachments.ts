import { ChatClient, type Attachment, type ChatMessage } from '@agent-chat/core';
import type { AttachmentHost } from '../client.js';

/*
 * Attachments without a server, for stories and screenshots: a ChatClient whose
 * fetch answers the attachment routes from memory. An upload named `*slow*`
 * never finishes (a chip stays uploading), `*too-big*` is refused with 413, and
 * `*.exe` with 415; GET answers the bytes of what was uploaded or seeded.
 */

/** A PNG of `width` x `height` with a soft gradient and a label, drawn on a canvas. */
export async function demoImage(name: string, width = 320, height = 200, hue = 18): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, `hsl(${hue} 62% 58%)`);
  gradient.addColorStop(1, `hsl(${hue + 40} 70% 38%)`);
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  context.fillStyle = 'rgb(255 255 255 / 0.85)';
  for (let i = 0; i < 6; i++) context.fillRect(24 + i * 44, height - 30 - ((i * 37) % 110), 28, 30 + ((i * 37) % 110));
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A host whose client keeps files in memory; `seed` files are there from the start (for sent messages). */
export async function demoAttachmentHost(seed: File[] = []): Promise<{ host: AttachmentHost; seeded: Attachment[] }> {
  const stored = new Map<string, { attachment: Attachment; file: Blob }>();
  let next = 1;
  const store = async (file: File): Promise<Attachment> => {
    const bitmap = file.type.startsWith('image/') ? await createImageBitmap(file).catch(() => undefined) : undefined;
    const attachment: Attachment = {
      id: `att_${next++}`,
      name: file.name,
      mediaType: file.type || 'application/octet-stream',
      size: file.size,
      ...(bitmap ? { width: bitmap.width, height: bitmap.height } : {}),
    };
    stored.set(attachment.id, { attachment, file });
    return attachment;
  };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), location.href);
    const id = /\/attachments\/([^/]+)$/.exec(url.pathname)?.[1];
    if (init?.method === 'POST') {
      const file = (init.body as FormData).get('file') as File;
      if (file.name.includes('slow')) return new Promise<Response>(() => {});
      if (file.name.includes('too-big')) return json(413, { error: { code: 'attachment_too_large', message: 'The file is over 10 MB.' } });
      if (file.name.endsWith('.exe')) return json(415, { error: { code: 'unsupported_media_type', message: 'Not accepted.' } });
      return json(201, await store(file));
    }
    const entry = id ? stored.get(decodeURIComponent(id)) : undefined;
    if (!entry) return json(404, { error: { code: 'attachment_not_found', message: 'No such attachment.' } });
    if (init?.method === 'DELETE') return new Response(null, { status: 204 });
    return new Response(entry.file, { headers: { 'content-type': entry.attachment.mediaType } });
  };
  const seeded = await Promise.all(seed.map(store));
  const client = new ChatClient({ endpoint: '/demo-api', fetch });
  return {
    host: {
      client,
      session: { sessionId: 'demo', signal: new AbortController().signal },
      limits: { maxFileBytes: 10 * 1024 * 1024, maxFilesPerMessage: 10, maxBytesPerUser: 100 * 1024 * 1024, mediaTypes: ['image/*', 'application/pdf', 'text/*', 'video/*', 'application/octet-stream'] },
    },
    seeded,
  };
}

/** A user message carrying `attachments`, and the assistant's answer. */
export function messagesWithAttachments(attachments: Attachment[]): ChatMessage[] {
  return [
    { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'What does this chart say? The numbers are in the PDF.', state: 'done' }], attachments },
    {
      id: 'a1',
      role: 'assistant',
      parts: [{ type: 'text', text: 'The chart shows **six weeks** of sign-ups: steady growth, with a dip in week four that the report puts down to the holiday.', state: 'done' }],
    },
  ];
}
