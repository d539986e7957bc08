import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Attachment } from '@agent-chat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expressFactory, fastifyFactory, honoFactory, nodeFactory } from '../__fixtures__/adapter-factories.js';
import type { AdapterFactory, AdapterHarness } from '../__fixtures__/conformance-suite.js';
import { readEvents, recordingLogger } from '../__fixtures__/harness.js';
import { demoAgent } from '../agents/demo/demo-agent.js';
import { createChatServer, type ChatServer } from '../http/chat-server.js';
import { PNG } from './__fixtures__/sample-files.js';

const open: { chat: ChatServer; harness: AdapterHarness }[] = [];
afterEach(async () => {
  for (const { chat, harness } of open.splice(0)) {
    await chat.close();
    await harness.close();
  }
});

describe.each([
  ['node:http', nodeFactory],
  ['Express', expressFactory],
  ['Hono', honoFactory],
  ['Fastify', fastifyFactory],
] as [string, AdapterFactory][])('attachments through %s', (_name, factory) => {
  it('uploads (the multipart body reaches the handler unread), serves, sends and refuses an oversized file', async () => {
    const chat = createChatServer({
      agent: demoAgent({ sandboxDir: path.join(tmpdir(), 'agent-chat-attachments-adapters'), chunkDelayMs: 0 }),
      logger: recordingLogger(),
      keepAliveMs: 0,
      autoTitle: false,
      attachments: { maxFileBytes: 1000 },
    });
    const harness = await factory(chat);
    open.push({ chat, harness });
    const base = `${harness.origin}${chat.basePath}`;
    const { id } = (await (await fetch(`${base}/session`, { method: 'POST' })).json()) as { id: string };
    const form = new FormData();
    form.append('note', 'a field before the file is ignored');
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
    const response = await fetch(`${base}/session/${id}/attachments`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const attachment = (await response.json()) as Attachment;
    expect(attachment).toMatchObject({ name: 'pixel.png', mediaType: 'image/png', width: 3, height: 2 });
    const served = await fetch(`${base}/session/${id}/attachments/${attachment.id}`);
    expect(served.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const notModified = await fetch(`${base}/session/${id}/attachments/${attachment.id}`, { headers: { 'if-none-match': served.headers.get('etag')! } });
    expect(notModified.status).toBe(304);

    const events = await readEvents(
      await fetch(`${base}/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hi', attachments: [attachment.id] }) }),
    );
    expect(events.at(-1)!.event.type).toBe('turn_complete');

    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(1500).fill(97)]), 'big.txt');
    const refused = await fetch(`${base}/session/${id}/attachments`, { method: 'POST', body: big });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('attachment_too_large');
  });
});
