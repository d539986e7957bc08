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
