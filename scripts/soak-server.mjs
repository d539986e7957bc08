// One server process of the soak test (scripts/soak.mjs): createChatServer with
// the offline demo agent on node:http, the memory store, or the Redis store when
// SOAK_STORE=redis (SOAK_REDIS_URL, SOAK_REDIS_PREFIX). It prints `{"port": N}`
// when listening and answers GET /__soak/stats with what the soak records:
// memory (bytes), event-loop delay (ms; `?reset=1` starts a new window; the
// whole-run histogram is never reset) and open handles by type.
// Runs the BUILT packages (dist/): `npm run build -w @agent-chat/core -w @agent-chat/server` first.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createChatServer, demoAgent } from '@agent-chat/server';
import { createNodeListener } from '@agent-chat/server/node';

const RESOLUTION_MS = 10;
const window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const whole = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
window.enable();
whole.enable();

const sandboxDir = mkdtempSync(join(tmpdir(), 'agent-chat-soak-'));
mkdirSync(join(sandboxDir, 'notes'));
writeFileSync(join(sandboxDir, 'README.md'), '# Soak sandbox\n\nA file for the demo agent to read.\n');
writeFileSync(join(sandboxDir, 'data.csv'), 'a,b\n1,2\n');

let store;
if (process.env.SOAK_STORE === 'redis') {
  const { redisStore } = await import('@agent-chat/server/redis');
  store = redisStore({ url: process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: process.env.SOAK_REDIS_PREFIX });
}

const chat = createChatServer({
  agent: demoAgent({ sandboxDir, chunkDelayMs: Number(process.env.SOAK_CHUNK_DELAY_MS ?? 30) }),
  // One user per soak worker, as in production (per-user stream caps apply to each).
  auth: (request) => ({ id: request.headers.get('x-soak-user') ?? 'soak' }),
  store,
  maxSessions: 100_000,
  maxSessionsPerUser: 100_000,
  idleTimeoutMs: 0,
  logger: { info() {}, warn: console.warn, error: console.error },
});
const listener = createNodeListener(chat);

// The histogram records the time between two ticks of a RESOLUTION_MS timer: the delay is that minus the resolution.
const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);
const histogram = (h) => ({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count });

function stats(url) {
  if (url.searchParams.get('gc') === '1' && globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  const mem = process.memoryUsage();
  const handles = {};
  for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  const body = {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external,
    loopWindow: histogram(window),
    loopWhole: histogram(whole),
    handles,
    handleCount: Object.values(handles).reduce((a, b) => a + b, 0),
  };
  if (url.searchParams.get('reset') === '1') window.reset();
  return body;
}

const server = createServer((req, res) => {
  if (req.url.startsWith('/__soak/stats')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats(new URL(req.url, 'http://x'))));
    return;
  }
  listener(req, res);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
// The parent holds our stdin: when it goes, so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.once('SIGTERM', async () => {
  server.closeAllConnections?.();
  await Promise.race([chat.close(), new Promise((r) => setTimeout(r, 5_000))]);
  process.exit(0);
});
