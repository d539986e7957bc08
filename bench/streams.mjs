// Figure 3: many idle SSE streams (keepalive on) against one server process:
// memory per stream (RSS delta after GC / N) and p99 of GET /health while they
// are open; ours (GET /api/events/:id) beside a bare node:http SSE server.
// Client sockets come from several loopback addresses (127.0.0.1-8) so the
// ephemeral ports of one address do not run out.
//   node bench/streams.mjs [--quick] [--json]
import { connect } from 'node:net';
import { Agent, get } from 'node:http';
import { api } from './lib/client.mjs';
import { quick, report, size } from './lib/args.mjs';
import { startServer } from './lib/process.mjs';
import { percentile, round } from './lib/stats.mjs';

const STREAMS = size(10_000, 1_000);
const SOURCES = 8;
const HEALTH_REQUESTS = size(1_000, 200);
const BATCH = 250;

/** Opens one raw socket stream and resolves once the first body bytes arrived. */
function openStream(port, path, index) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: `127.0.0.${1 + (index % SOURCES)}` });
    let seen = '';
    const onData = (d) => {
      seen += d;
      // Headers, then the first frame (our `ready` event or the bare `: ok` comment).
      const head = seen.indexOf('\r\n\r\n');
      if (head >= 0 && seen.indexOf('\n\n', head + 4) >= 0) {
        if (!seen.startsWith('HTTP/1.1 200')) reject(new Error(`stream ${index}: ${seen.slice(0, 80)}`));
        socket.off('data', onData);
        socket.setTimeout(0);
        socket.on('data', () => {}); // keepalives
        resolve(socket);
      }
    };
    socket.setTimeout(30_000, () => reject(new Error(`stream ${index}: no response within 30 s`)));
    socket.setEncoding('utf8');
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 0\r\n\r\n`);
  });
}

async function healthLatencies(port, path) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < HEALTH_REQUESTS; i++) {
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return times;
}

async function measure(server, streamPath, healthPath) {
  await healthLatencies(server.port, healthPath); // warm-up
  const idle = await healthLatencies(server.port, healthPath);
  const before = await server.stats({ gc: true });
  const sockets = [];
  const t0 = performance.now();
  for (let i = 0; i < STREAMS; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(STREAMS, i + BATCH); j++) batch.push(openStream(server.port, streamPath, j));
    sockets.push(...(await Promise.all(batch)));
  }
  const openMs = performance.now() - t0;
  const after = await server.stats({ gc: true });
  const busy = await healthLatencies(server.port, healthPath);
  for (const s of sockets) s.destroy();
  return {
    streams: STREAMS,
    openMs: round(openMs, 0),
    bytesPerStream: round((after.rss - before.rss) / STREAMS, 0),
    heapPerStream: round((after.heapUsed + after.external - before.heapUsed - before.external) / STREAMS, 0),
    healthP50Ms: round(percentile(busy, 50), 2),
    healthP99Ms: round(percentile(busy, 99), 2),
    healthP99IdleMs: round(percentile(idle, 99), 2),
  };
}

const result = { quick };
const ours = await startServer('bench/servers/ours.mjs');
try {
  const { id } = await api(ours.base, 'POST', '/session', {});
  result.ours = await measure(ours, `/api/events/${id}`, '/api/health');
} finally {
  await ours.stop();
}
const bare = await startServer('bench/servers/bare.mjs');
try {
  result.bare = await measure(bare, '/sse', '/health');
} finally {
  await bare.stop();
}
report(result);
