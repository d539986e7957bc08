// Figures 1 and 2: pipeline throughput with 1, 10 and 100 subscribers, the
// longest event-loop stall while fanning out to 1,000, and server CPU per
// delivered event; ours (agent -> event log -> fan-out -> SSE -> node:http) beside a
// bare node:http server writing pre-encoded frames. Each server runs in its own
// process; this process is the client and decodes with @agent-chat/core.
//   node bench/pipeline.mjs [--quick] [--json]
import { api, decodedStream, rawStream } from './lib/client.mjs';
import { quick, report, size } from './lib/args.mjs';
import { startServer } from './lib/process.mjs';
import { median, round } from './lib/stats.mjs';

const DELTA = 'tok ';
const ROUNDS = size(3, 1);
/** Events per turn by subscriber count: fewer for wide fan-outs so the client keeps up. */
const EVENTS = { 1: size(20_000, 2_000), 10: size(10_000, 1_000), 100: size(2_000, 300), 1000: size(2_000, 300) };

async function oursRound(server, subscribers, events, open = decodedStream) {
  const { id } = await api(server.base, 'POST', '/session', {});
  const subs = [];
  for (let i = 1; i < subscribers; i++) subs.push(open(`${server.base}/api/events/${id}?after=0`));
  await Promise.all(subs.map((s) => s.ready));
  const before = await server.stats({ reset: true });
  const t0 = performance.now();
  const chat = open(`${server.base}/api/chat/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: JSON.stringify({ chunks: events, delta: DELTA }) }),
  });
  await Promise.all([chat, ...subs].map((s) => s.done));
  const ms = performance.now() - t0;
  const after = await server.stats();
  await api(server.base, 'DELETE', `/session/${id}`);
  return { ms, cpuUs: after.cpuUs - before.cpuUs, loopMaxMs: after.loopMaxMs };
}

async function bareRound(server, subscribers, events, open = decodedStream) {
  const subs = [];
  for (let i = 0; i < subscribers; i++) subs.push(open(`${server.base}/sse`));
  await Promise.all(subs.map((s) => s.ready));
  const before = await server.stats({ reset: true });
  const t0 = performance.now();
  await fetch(`${server.base}/start?n=${events}&delta=${encodeURIComponent(DELTA)}`, { method: 'POST' });
  await Promise.all(subs.map((s) => s.done));
  const ms = performance.now() - t0;
  const after = await server.stats();
  return { ms, cpuUs: after.cpuUs - before.cpuUs, loopMaxMs: after.loopMaxMs };
}

async function measure(run, server, subscribers, open) {
  const events = EVENTS[subscribers];
  // One untimed warm-up round (JIT, connection set-up), then the timed ones.
  await run(server, Math.min(subscribers, 10), Math.min(events, 1_000), open);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await run(server, subscribers, events, open));
  return {
    subscribers,
    events,
    eventsPerSecond: round(median(rounds.map((r) => (events / r.ms) * 1000)), 0),
    cpuUsPerEvent: round(median(rounds.map((r) => r.cpuUs / (events * subscribers))), 2),
    loopMaxMs: round(Math.max(...rounds.map((r) => r.loopMaxMs)), 1),
  };
}

const ours = await startServer('bench/servers/ours.mjs');
const bare = await startServer('bench/servers/bare.mjs');
const result = { quick, throughput: [], stall: undefined };
try {
  for (const n of [1, 10, 100]) {
    result.throughput.push({ ours: await measure(oursRound, ours, n), bare: await measure(bareRound, bare, n) });
  }
  result.stall = {
    ours: await measure(oursRound, ours, 1000, rawStream),
    bare: await measure(bareRound, bare, 1000, rawStream),
  };
} finally {
  await Promise.all([ours.stop(), bare.stop()]);
}
report(result);
