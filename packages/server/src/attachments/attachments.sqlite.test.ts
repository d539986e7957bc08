import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { fileAttachmentStore } from '../stores/file-attachment-store.js';
import { sqliteStore } from '../stores/sqlite-store.js';
import { describeAttachments } from './__fixtures__/attachment-suite.js';

// One process that restarts: sessions in a SQLite file, files in a directory beside it.
const dir = mkdtempSync(path.join(tmpdir(), 'agent-chat-attachments-sqlite-'));
let count = 0;
afterAll(() => rm(dir, { recursive: true, force: true }));

describeAttachments('sqlite sessions, files in a directory', {
  sessions: () => ({ store: sqliteStore({ path: path.join(dir, `s${++count}.db`) }) }),
  attachmentStore: () => fileAttachmentStore({ directory: path.join(dir, `files-${count}`) }),
  // Durable sessions are unloaded when idle, never deleted.
  expiresIdleSessions: false,
});
