import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { describeConformance } from '../__fixtures__/conformance-suite.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

// The suites build their own servers: give each one a fresh SQLite file (closed by the server's close()).
const files = vi.hoisted(() => ({ dir: '', count: 0 }));
files.dir = mkdtempSync(path.join(tmpdir(), 'agent-chat-sqlite-conformance-'));

vi.mock('../http/chat-server.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../http/chat-server.js')>();
  const { sqliteStore } = await import('./sqlite-store.js');
  return {
    ...actual,
    createChatServer: (options: import('../http/chat-server.js').ChatServerOptions) =>
      actual.createChatServer({ store: sqliteStore({ path: path.join(files.dir, `s${++files.count}.db`) }), ...options }),
  };
});

afterAll(() => rm(files.dir, { recursive: true, force: true }));

describeConformance('node:http + sqliteStore', nodeFactory);
describeHostileInput('node:http + sqliteStore', nodeFactory);

describe('the suites above', () => {
  it('ran on the sqlite store (one per server)', () => {
    expect(files.count).toBeGreaterThanOrEqual(15);
  });
});
