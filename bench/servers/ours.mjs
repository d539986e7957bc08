// Our server under test: createChatServer + the node:http adapter, with the
// bench agent. BENCH_STORE=redis uses redisStore (prefix BENCH_REDIS_PREFIX).
import { createServer } from 'node:http';
import { createChatServer } from '@agent-chat/server';
import { createNodeListener } from '@agent-chat/server/node';
import { benchAgent } from './bench-agent.mjs';
import { announce, handleStats } from './stats.mjs';

let store;
if (process.env.BENCH_STORE === 'redis') {
  const { redisStore } = await import('@agent-chat/server/redis');
  store = redisStore({ url: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: process.env.BENCH_REDIS_PREFIX });
}
const chat = createChatServer({
  agent: benchAgent,
  auth: () => ({ id: 'bench' }),
  store,
  maxSessions: 100_000,
  maxSessionsPerUser: 100_000,
  // The figures put 1,000 to 10,000 streams on one session of one user.
  maxStreamsPerSession: Infinity,
  maxStreamsPerUser: Infinity,
  idleTimeoutMs: 0,
  logger: { info() {}, warn: console.warn, error: console.error },
});
const listener = createNodeListener(chat);
const server = createServer((req, res) => {
  if (!handleStats(req, res)) listener(req, res);
});
server.maxConnections = Infinity;
server.listen(0, '127.0.0.1', () =>
  announce(server, async () => {
    server.closeAllConnections?.();
    await Promise.race([chat.close(), new Promise((r) => setTimeout(r, 2_000))]);
  }),
);
