// The baseline: a bare node:http SSE server, nothing but pre-encoded frames.
//   GET  /sse          an SSE stream (": ok" comment, then whatever /start sends; keepalive every 15 s)
//   POST /start?n=K    pre-encodes K assistant_chunk frames (the same bytes our server
//                      sends), writes them to every open stream, then turn_complete, and ends them
//   GET  /health       a small JSON body
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { announce, handleStats } from './stats.mjs';

const subscribers = new Set();
const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };
const frame = (id, event) => `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

async function fanOut(count, delta) {
  // Ids as long as ours (UUIDs), so both servers send the same number of bytes.
  const messageId = randomUUID();
  const frames = [];
  for (let i = 1; i <= count; i++) frames.push(frame(i, { type: 'assistant_chunk', messageId, delta }));
  frames.push(frame(count + 1, { type: 'turn_complete', turnId: randomUUID(), stopReason: 'end_turn' }));
  const targets = [...subscribers];
  subscribers.clear();
  let writes = 0;
  for (const f of frames) {
    for (const res of targets) res.write(f);
    // Let the sockets flush every ~4,096 writes, as a real producer's awaits would.
    writes += targets.length;
    if (writes >= 4_096) {
      writes = 0;
      await new Promise((r) => setImmediate(r));
    }
  }
  for (const res of targets) res.end();
}

const server = createServer((req, res) => {
  if (handleStats(req, res)) return;
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/sse') {
    res.writeHead(200, headers);
    res.write(': ok\n\n');
    subscribers.add(res);
    const timer = setInterval(() => res.write(': keepalive\n\n'), 15_000);
    timer.unref();
    res.on('close', () => {
      clearInterval(timer);
      subscribers.delete(res);
    });
    return;
  }
  if (url.pathname === '/start' && req.method === 'POST') {
    res.writeHead(204).end();
    void fanOut(Number(url.searchParams.get('n') ?? 1000), url.searchParams.get('delta') ?? 'tok ');
    return;
  }
  if (url.pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(404).end();
});
server.maxConnections = Infinity;
server.listen(0, '127.0.0.1', () => announce(server, async () => server.closeAllConnections?.()));
