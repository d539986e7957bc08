// Figure 4: resume. A 50 KB answer streamed as 12,800 chunks of 4 characters;
// the turn stays open (a reload mid-answer). A client reconnects with
// Last-Event-ID set to the turn's `processing` event and reads until the last
// chunk's id: time (p50/p95) and bytes on the wire (HTTP body). Memory store
// on one process; Redis store with the turn on process A and the resume on
// process B (B replays from the Redis Stream). Baseline for Redis: a raw XRANGE
// of the same entries with the same client library (ioredis).
//   node bench/resume.mjs [--quick] [--json]
import { randomUUID } from 'node:crypto';
import { decodeEventStream } from '@agent-chat/core';
import { Redis } from 'ioredis';
import { api } from './lib/client.mjs';
import { quick, report, size } from './lib/args.mjs';
import { startServer } from './lib/process.mjs';
import { percentile, round } from './lib/stats.mjs';

const CHUNKS = 12_800;
const DELTA = 'abcd';
const TEXT_BYTES = CHUNKS * DELTA.length;
const REPEATS = size(20, 5);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Reads an SSE response until an event with id >= `untilId` (or `until(event)`), counting body bytes. */
async function read(url, init, { untilId = Infinity, until = () => false } = {}) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  const counted = res.body.pipeThrough(
    new TransformStream({
      transform(chunk, c) {
        bytes += chunk.byteLength;
        c.enqueue(chunk);
      },
    }),
  );
  const reader = decodeEventStream(counted).getReader();
  const seen = { events: 0, chunks: 0, text: 0, processingId: undefined, lastId: 0 };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.events += 1;
    if (value.id !== undefined) seen.lastId = value.id;
    if (value.event.type === 'processing') seen.processingId = value.id;
    if (value.event.type === 'assistant_chunk') {
      seen.chunks += 1;
      seen.text += value.event.delta.length;
    }
    if ((value.id ?? 0) >= untilId || until(value.event)) break;
  }
  const ms = performance.now() - t0;
  await reader.cancel();
  return { ms, bytes, ...seen };
}

/** Starts the held turn on `writer` and returns the ids the resume needs. */
async function streamAnswer(writer) {
  const { id } = await api(writer.base, 'POST', '/session', {});
  const first = await read(
    `${writer.base}/api/chat/${id}`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: JSON.stringify({ chunks: CHUNKS, delta: DELTA, hold: true }) }) },
    { until: (e) => e.type === 'assistant_stream_end' },
  );
  if (first.chunks !== CHUNKS) throw new Error(`expected ${CHUNKS} chunks, got ${first.chunks}`);
  // The last chunk's id: assistant_stream_end follows it.
  return { id, processingId: first.processingId, lastChunkId: first.lastId - 1 };
}

async function resumeTimes(reader, id, processingId, lastChunkId) {
  const runs = [];
  for (let i = 0; i < REPEATS + 1; i++) {
    const r = await read(`${reader.base}/api/events/${id}`, { headers: { 'last-event-id': String(processingId) } }, { untilId: lastChunkId });
    if (r.text !== TEXT_BYTES) throw new Error(`resume replayed ${r.text} of ${TEXT_BYTES} characters`);
    if (i > 0) runs.push(r); // the first is a warm-up (and, on another process, the session load)
  }
  return summarize(runs.map((r) => r.ms), runs.at(-1).bytes, runs.at(-1).events);
}

const summarize = (times, bytes, events) => ({
  p50Ms: round(percentile(times, 50), 1),
  p95Ms: round(percentile(times, 95), 1),
  bytes,
  bytesPerTextByte: round(bytes / TEXT_BYTES, 1),
  events,
});

const result = { quick, chunks: CHUNKS, textBytes: TEXT_BYTES };

const memory = await startServer('bench/servers/ours.mjs');
try {
  const { id, processingId, lastChunkId } = await streamAnswer(memory);
  result.memory = await resumeTimes(memory, id, processingId, lastChunkId);
  await api(memory.base, 'POST', `/interrupt/${id}`);
} finally {
  await memory.stop();
}

const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
let redisUp = false;
try {
  await redis.connect();
  redisUp = (await redis.ping()) === 'PONG';
} catch (error) {
  result.redis = { skipped: `no Redis at ${REDIS_URL}: ${error.message}` };
}
if (redisUp) {
  const prefix = `agent-chat-bench-${randomUUID()}`;
  const env = { BENCH_STORE: 'redis', BENCH_REDIS_PREFIX: prefix, BENCH_REDIS_URL: REDIS_URL };
  const a = await startServer('bench/servers/ours.mjs', env);
  const b = await startServer('bench/servers/ours.mjs', env);
  try {
    const { id, processingId, lastChunkId } = await streamAnswer(a);
    const key = `${prefix}:log:${id}`;
    // The writer appends behind its own fan-out: wait until the stream holds every chunk.
    for (let i = 0; i < 200 && (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] !== `${lastChunkId + 1}-0`; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    result.redis = await resumeTimes(b, id, processingId, lastChunkId);
    const times = [];
    let bytes = 0;
    for (let i = 0; i < REPEATS + 1; i++) {
      const read0 = redis.stream.bytesRead;
      const t0 = performance.now();
      const entries = await redis.xrange(key, `${processingId + 1}-0`, `${lastChunkId}-0`);
      const ms = performance.now() - t0;
      // At least every chunk: the range may also hold the `title` event a first turn gets.
      if (entries.length < CHUNKS) throw new Error(`XRANGE returned ${entries.length} entries`);
      bytes = redis.stream.bytesRead - read0;
      if (i > 0) times.push(ms);
    }
    result.xrange = summarize(times, bytes, CHUNKS);
    await api(a.base, 'POST', `/interrupt/${id}`);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}
redis.disconnect();
report(result);
