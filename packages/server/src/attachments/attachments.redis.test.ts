import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Attachment, ChatMessage } from '@agent-chat/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readEvents, startTestServer, type TestServer } from '../__fixtures__/harness.js';
import { fileAttachmentStore } from '../stores/file-attachment-store.js';
import { redisAttachmentStore, redisStore } from '../stores/redis.js';
import { describeAttachments } from './__fixtures__/attachment-suite.js';
import { PNG } from './__fixtures__/sample-files.js';

// Several processes behind a load balancer: sessions in Redis, files in Redis or in a directory they share.
const prefix = `agent-chat-test:${randomUUID()}`;
const dir = mkdtempSync(path.join(tmpdir(), 'agent-chat-attachments-redis-'));
let count = 0;
const url = 'redis://127.0.0.1:6379';

afterAll(async () => {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

describeAttachments('redis sessions, files in redis', {
  sessions: () => ({ store: redisStore({ url, prefix: `${prefix}:${++count}` }) }),
  attachmentStore: () => redisAttachmentStore({ url, prefix: `${prefix}:${count}` }),
  expiresIdleSessions: false,
});

describeAttachments('redis sessions, files in a shared directory', {
  sessions: () => ({ store: redisStore({ url, prefix: `${prefix}:${++count}` }) }),
  attachmentStore: () => fileAttachmentStore({ directory: path.join(dir, `files-${count}`) }),
  expiresIdleSessions: false,
});

describe('attachments across two processes sharing Redis', () => {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('a file uploaded through one process is served, sent and deleted with its session through the other', async () => {
    const shared = `${prefix}:pair`;
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        startTestServer({
          store: redisStore({ url, prefix: shared }),
          attachments: { store: redisAttachmentStore({ url, prefix: shared }) },
        }),
      ),
    );
    open.push(a!, b!);
    const created = await fetch(`${a!.base}/session`, { method: 'POST' });
    const { id } = (await created.json()) as { id: string };
    const form = new FormData();
    form.append('file', new Blob([PNG]), 'pixel.png');
    const attachment = (await (await fetch(`${a!.base}/session/${id}/attachments`, { method: 'POST', body: form })).json()) as Attachment;

    const served = await fetch(`${b!.base}/session/${id}/attachments/${attachment.id}`);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const events = await readEvents(
      await fetch(`${b!.base}/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'What is this?', attachments: [attachment.id] }) }),
    );
    expect(events.map((e) => e.event.type).at(-1)).toBe('turn_complete');
    const messages = (await (await fetch(`${a!.base}/session/${id}/messages`)).json()) as { messages: ChatMessage[] };
    expect(messages.messages[0]!.attachments).toEqual([attachment]);

    expect((await fetch(`${a!.base}/session/${id}`, { method: 'DELETE' })).status).toBe(204);
    const redis = new Redis(url);
    try {
      expect(await redis.keys(`${shared}:attachment*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
