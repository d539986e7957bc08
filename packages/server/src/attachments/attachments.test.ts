import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileAttachmentStore } from '../stores/file-attachment-store.js';
import { memoryAttachmentStore } from '../stores/memory-attachment-store.js';
import { describeAttachments } from './__fixtures__/attachment-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-chat-attachments-'));
let stores = 0;
afterAll(() => rm(dir, { recursive: true, force: true }));

describeAttachments('memory sessions, memory files', {
  sessions: () => ({}),
  attachmentStore: () => memoryAttachmentStore(),
  expiresIdleSessions: true,
});

describeAttachments('memory sessions, files in a directory', {
  sessions: () => ({}),
  attachmentStore: () => fileAttachmentStore({ directory: path.join(dir, `store-${++stores}`) }),
  expiresIdleSessions: true,
});

describe('fileAttachmentStore', () => {
  it('left no temporary file behind in any of the suites above', async () => {
    expect(stores).toBeGreaterThan(5);
    for (const store of await readdir(dir)) expect(await readdir(path.join(dir, store, '.tmp'))).toEqual([]);
  });
});

describe('a client that leaves before its upload is read', () => {
  it('fails the upload quietly: no uncaught error, nothing stored', async () => {
    const { request } = await import('node:http');
    const { startTestServer, waitFor } = await import('../__fixtures__/harness.js');
    const inner = memoryAttachmentStore();
    let listing = 0;
    // A store slow to list (the quota check), so that the file part arrives, then breaks off, before anyone reads it.
    const store = { ...inner, list: async (id: string) => (listing++, await new Promise((r) => setTimeout(r, 150)), inner.list(id)) };
    const s = await startTestServer({ attachments: { store } });
    try {
      const { id } = (await (await fetch(`${s.base}/session`, { method: 'POST' })).json()) as { id: string };
      const boundary = 'gone';
      await new Promise<void>((resolve) => {
        const req = request(new URL(`${s.base}/session/${id}/attachments`), {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': '10000' },
        });
        req.on('error', () => resolve());
        req.write(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello`, () =>
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 30),
        );
      });
      await waitFor(() => listing > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await inner.list(id)).toEqual([]);
      expect(s.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
