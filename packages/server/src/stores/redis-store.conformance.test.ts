import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { describeConformance } from '../__fixtures__/conformance-suite.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

// The suites build their own servers: give each one a fresh key prefix (its store is closed by the server's close()).
const run = vi.hoisted(() => ({ prefix: '', count: 0 }));
run.prefix = `agent-chat-test:${randomUUID()}`;

vi.mock('../http/chat-server.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../http/chat-server.js')>();
  const { redisStore } = await import('./redis.js');
  return {
    ...actual,
    createChatServer: (options: import('../http/chat-server.js').ChatServerOptions) =>
      actual.createChatServer({ store: redisStore({ url: 'redis://127.0.0.1:6379', prefix: `${run.prefix}:${++run.count}` }), ...options }),
  };
});

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${run.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describeConformance('node:http + redisStore', nodeFactory);
describeHostileInput('node:http + redisStore', nodeFactory);

describe('the suites above', () => {
  it('ran on the redis store (one per server)', () => {
    expect(run.count).toBeGreaterThanOrEqual(15);
  });
});
