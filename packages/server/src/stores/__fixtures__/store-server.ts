/**
 * A chat server in its own process, for crash and multi-process tests: the
 * scripted agent, users from the `x-user` header, and the store named by the
 * environment. Prints `{"port":N}` on stdout once listening.
 *
 * STORE=sqlite SQLITE_PATH=...            one process with a SQLite file
 * STORE=redis REDIS_URL=... REDIS_PREFIX=... LEASE_MS=...
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scriptedAgent } from '../../__fixtures__/scripted-agent.js';
import { createNodeListener } from '../../adapters/node.js';
import { createChatServer } from '../../http/chat-server.js';
import type { SessionStore } from '../session-store.js';
import { redisStore } from '../redis.js';
import { sqliteStore } from '../sqlite-store.js';

const env = process.env;
const store: SessionStore =
  env.STORE === 'redis'
    ? redisStore({
        url: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        prefix: env.REDIS_PREFIX ?? 'agent-chat-test',
        ...(env.LEASE_MS ? { leaseMs: Number(env.LEASE_MS) } : {}),
      })
    : sqliteStore({ path: env.SQLITE_PATH ?? ':memory:' });

const chat = createChatServer({
  agent: scriptedAgent(),
  store,
  keepAliveMs: 0,
  // The tests count event ids exactly; titles are tested in the conformance suite.
  autoTitle: false,
  logger: { warn() {}, error: (...args: unknown[]) => console.error(...args), info() {} },
  auth: (request) => {
    const user = request.headers.get('x-user');
    return user ? { id: user } : null;
  },
});
const server = createServer(createNodeListener(chat));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  void chat.close().then(() => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
