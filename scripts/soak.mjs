// Soak test: many sessions taking turns for a long time against the built
// server, checking that nothing leaks and that no event is lost or repeated.
//
//   node scripts/soak.mjs [--minutes 30] [--sessions 200] [--mode one|redis|both]
//                         [--turns-per-session 5] [--drop-rate 0.25] [--resync-rate 0.05]
//                         [--think-ms 2000] [--chunk-delay-ms 30] [--out /tmp/soak.json]
//
// Modes: `one` is one server process with the memory store; `redis` is two
// server processes sharing a Redis store (REDIS_URL, default redis://127.0.0.1:6379)
// with every request sent to either of them at random (no sticky sessions);
// `both` runs the two side by side. Servers run scripts/soak-server.mjs on the
// BUILT packages with the offline demo agent; run
// `npm run build -w @agent-chat/core -w @agent-chat/server` first.
//
// Each of `--sessions` workers loops until the time is up: create a session, take
// `--turns-per-session` turns in it (POST a text, read to `approval_required`,
// approve or reject the demo's write_file, read to `turn_complete`), delete it,
// start over. A stream is dropped after a random number of events with
// probability `--drop-rate` and resumed with GET /events and `Last-Event-ID`
// (on a random process in redis mode); with probability `--resync-rate` a resume
// sends no cursor and starts from the `snapshot`. Checked on every turn:
//   - no frame at or below the cursor its stream was opened with (replay is exact);
//   - ids strictly increasing across reconnects (duplicates are skipped and counted);
//   - the turn's events in order, once each: processing, approval_required, the
//     decision's tool_state_change, turn_complete, nothing after it;
//   - the conversation reduced from the received events equals the server's
//     GET /session/:id/messages (nothing missing, nothing doubled).
// Each server reports RSS, event-loop delay (monitorEventLoopDelay, per minute and
// whole run) and open handles (process.getActiveResourcesInfo) at start (idle),
// every minute and at the end (idle again, after gc). It stops by itself after
// `--minutes` plus the time the last turns take to finish (at most 2 minutes).
// Exit code 1 when any check failed.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createConversationState, decodeEventStream, reduce } from '@agent-chat/core';
import { startServer } from '../bench/lib/process.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    sessions: { type: 'string', default: '200' },
    mode: { type: 'string', default: 'both' },
    'turns-per-session': { type: 'string', default: '5' },
    'drop-rate': { type: 'string', default: '0.25' },
    'resync-rate': { type: 'string', default: '0.05' },
    'think-ms': { type: 'string', default: '2000' },
    'chunk-delay-ms': { type: 'string', default: '30' },
    out: { type: 'string' },
  },
});
const MINUTES = Number(args.minutes);
const SESSIONS = Number(args.sessions);
const TURNS_PER_SESSION = Number(args['turns-per-session']);
const DROP_RATE = Number(args['drop-rate']);
const RESYNC_RATE = Number(args['resync-rate']);
const THINK_MS = Number(args['think-ms']);
const CHUNK_DELAY_MS = Number(args['chunk-delay-ms']);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TURN_TIMEOUT_MS = 120_000;
if (!['one', 'redis', 'both'].includes(args.mode)) throw new Error('--mode must be one, redis or both');
if (!(MINUTES > 0) || !(SESSIONS > 0)) throw new Error('--minutes and --sessions must be positive numbers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
const now = () => new Date().toISOString().slice(11, 19);

/** JSON with sorted keys, for comparing two states built by different processes. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

class Run {
  constructor(mode, servers) {
    this.mode = mode;
    this.servers = servers;
    this.counts = {
      sessions: 0,
      turns: 0,
      events: 0,
      overlapSkipped: 0,
      drops: 0,
      resumes: 0,
      snapshotResyncs: 0,
      serverEndedStreams: 0,
      approved: 0,
      rejected: 0,
      retried: 0,
      /** 503 answers by error code (retried after Retry-After; not failures). */
      unavailable: {},
      failures: 0,
    };
    this.failures = [];
    this.failureKinds = {};
    this.windows = [];
  }

  fail(sessionId, message) {
    this.counts.failures += 1;
    // Grouped with ids and numbers masked, for the summary.
    const kind = message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').replace(/\d+/g, 'N').slice(0, 160);
    this.failureKinds[kind] = (this.failureKinds[kind] ?? 0) + 1;
    if (this.failures.length < 50) this.failures.push({ at: now(), sessionId, message });
    console.error(`[${this.mode}] FAIL ${sessionId}: ${message}`);
  }

  base() {
    return pick(this.servers).base;
  }

  async api(user, method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.base()}/api${path}`, {
        method,
        headers: { 'x-soak-user': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.ok) return text ? JSON.parse(text) : undefined;
      // A 503 is the only answer worth repeating (e.g. owner_unreachable, with Retry-After); it is counted.
      if (res.status === 503 && attempt < 5) {
        this.counts.retried += 1;
        const code = /"code":"([^"]+)"/.exec(text)?.[1] ?? 'unknown';
        this.counts.unavailable[code] = (this.counts.unavailable[code] ?? 0) + 1;
        await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
        continue;
      }
      throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    }
  }

  /** One worker, one user: sessions of a few turns each, until `stop.at`. */
  async worker(stop, user) {
    while (Date.now() < stop.at) {
      let id;
      try {
        const info = await this.api(user, 'POST', '/session', {});
        id = info.id;
        this.counts.sessions += 1;
        const s = { id, user, lastId: info.lastEventId ?? 0, state: createConversationState(id), turn: 0 };
        for (let t = 0; t < TURNS_PER_SESSION && Date.now() < stop.at; t++) {
          await this.turn(s);
          await sleep(Math.random() * THINK_MS);
        }
      } catch (error) {
        // fetch's own "fetch failed" says why only in its cause (ECONNRESET, other side closed...).
        const cause = error.cause ? ` (${error.cause.code ?? error.cause.message})` : '';
        this.fail(id ?? '-', `session: ${error.message}${cause}`);
        await sleep(1_000);
      } finally {
        if (id) await this.api(user, 'DELETE', `/session/${id}`).catch((error) => this.fail(id, `delete: ${error.message}`));
      }
    }
  }

  async turn(s) {
    s.turn += 1;
    const text = `Soak turn ${s.turn}: what is ${s.turn} + ${Math.floor(Math.random() * 100)}?`;
    const seen = { types: [], snapshot: false };
    const deadline = Date.now() + TURN_TIMEOUT_MS;
    await this.follow(s, seen, deadline, (signal) => this.post(s, { text }, signal), (event) => event.type === 'approval_required');
    const pending = s.state.pendingApprovals[0];
    if (!pending) throw new Error(`turn ${s.turn}: no pending approval after approval_required`);
    const approve = Math.random() < 0.5;
    this.counts[approve ? 'approved' : 'rejected'] += 1;
    const decision = approve
      ? { toolCallId: pending.toolCallId, decision: 'approve' }
      : { toolCallId: pending.toolCallId, decision: 'reject', feedback: 'Not now.' };
    await this.follow(s, seen, deadline, (signal) => this.post(s, { approvals: [decision] }, signal), (event) => event.type === 'turn_complete');
    this.counts.turns += 1;
    this.checkOrder(s, seen, approve);
    await this.checkState(s);
  }

  post(s, body, signal) {
    return fetch(`${this.base()}/api/chat/${s.id}`, {
      method: 'POST',
      headers: { 'x-soak-user': s.user, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal,
    });
  }

  /**
   * Reads events into `s` from `open()` (a chat POST), then from GET /events
   * resumes, until `done(event)`; drops connections at random on the way.
   */
  async follow(s, seen, deadline, open, done) {
    let first = true;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`turn ${s.turn}: no end after ${TURN_TIMEOUT_MS} ms`);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.max(1, deadline - Date.now()));
      const dropAfter = Math.random() < DROP_RATE ? 1 + Math.floor(Math.random() * 40) : Infinity;
      // The cursor this stream is opened with; for a chat POST, the `ready` event says it.
      let cursor;
      let resync = false;
      let response;
      try {
        if (first) {
          response = await open(controller.signal);
        } else {
          resync = Math.random() < RESYNC_RATE;
          cursor = resync ? undefined : s.lastId;
          this.counts.resumes += 1;
          if (resync) this.counts.snapshotResyncs += 1;
          response = await fetch(`${this.base()}/api/events/${s.id}`, {
            headers: { 'x-soak-user': s.user, accept: 'text/event-stream', ...(resync ? {} : { 'last-event-id': String(s.lastId) }) },
            signal: controller.signal,
          });
        }
        if (!response.ok) {
          const body = await response.text();
          // 503 is the documented "try again shortly" (e.g. owner_unreachable, with Retry-After): do so, and count it.
          if (response.status === 503) {
            this.counts.retried += 1;
            const code = /"code":"([^"]+)"/.exec(body)?.[1] ?? 'unknown';
            this.counts.unavailable[code] = (this.counts.unavailable[code] ?? 0) + 1;
            await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
            continue;
          }
          if (!first && response.status >= 500) {
            this.counts.retried += 1;
            this.fail(s.id, `GET events: ${response.status} ${body.slice(0, 200)}`);
            await sleep(500);
            continue;
          }
          throw new Error(`${first ? 'POST chat' : 'GET events'} turn ${s.turn}: ${response.status} ${body.slice(0, 300)}`);
        }
        first = false;
        let accepted = 0;
        const reader = decodeEventStream(response.body).getReader();
        try {
          for (;;) {
            const { value, done: end } = await reader.read();
            if (end) {
              this.counts.serverEndedStreams += 1;
              break;
            }
            const { id, event } = value;
            if (event.type === 'ready') {
              if (cursor === undefined && !resync) cursor = event.lastEventId;
              continue;
            }
            if (id === undefined) continue;
            if (event.type === 'snapshot') {
              if (!resync) this.fail(s.id, `snapshot ${id} on a stream with cursor ${cursor}`);
              seen.snapshot = true;
              s.state = reduce(s.state, event, id);
              s.lastId = id;
              if (done(event) || (event.processing === false && seen.types.includes('approval_required'))) return;
              continue;
            }
            if (cursor !== undefined && id <= cursor) {
              this.fail(s.id, `event ${id} (${event.type}) at or below the stream's cursor ${cursor}`);
              continue;
            }
            if (id <= s.lastId) {
              this.counts.overlapSkipped += 1;
              continue;
            }
            s.lastId = id;
            s.state = reduce(s.state, event, id);
            seen.types.push(event.type === 'tool_state_change' ? `tool_state_change:${event.state}` : event.type);
            this.counts.events += 1;
            accepted += 1;
            if (done(event)) return;
            if (event.type === 'error' || event.type === 'interrupted' || event.type === 'shutdown') {
              throw new Error(`turn ${s.turn}: unexpected ${event.type} ${JSON.stringify(event).slice(0, 200)}`);
            }
            if (accepted >= dropAfter) {
              this.counts.drops += 1;
              break;
            }
          }
        } finally {
          await reader.cancel().catch(() => {});
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    }
  }

  checkOrder(s, seen, approved) {
    if (seen.snapshot) return; // a snapshot stands for the events it covers: the state check below is the check.
    // The decision is logged first, then the turn resumes (a second `processing`), then the tool runs.
    const expected = approved
      ? ['processing', 'approval_required', 'tool_state_change:approved', 'processing', 'tool_state_change:running', 'turn_complete']
      : ['processing', 'approval_required', 'tool_state_change:rejected', 'processing', 'turn_complete'];
    const milestones = seen.types.filter(
      (t) => t === 'processing' || t === 'approval_required' || t === 'turn_complete' || t.startsWith('tool_state_change'),
    );
    if (canonical(milestones) !== canonical(expected)) {
      this.fail(s.id, `turn ${s.turn}: milestones ${milestones.join(' > ')}, expected ${expected.join(' > ')}`);
    }
    if (seen.types.at(-1) !== 'turn_complete') this.fail(s.id, `turn ${s.turn}: ${seen.types.at(-1)} after turn_complete`);
  }

  /** The server's conversation (any process) equals the one reduced from the received events. */
  async checkState(s) {
    let server;
    for (let i = 0; i < 30; i++) {
      server = await this.api(s.user, 'GET', `/session/${s.id}/messages`);
      if (server.lastEventId >= s.lastId) break;
      await sleep(100); // another process may still be reading the stream
    }
    const mine = s.state;
    const diffs = [];
    if (server.lastEventId !== s.lastId) diffs.push(`lastEventId ${server.lastEventId} != ${s.lastId}`);
    if (server.processing || mine.status !== 'idle') diffs.push(`processing ${server.processing} / status ${mine.status}`);
    if (canonical(server.messages) !== canonical(mine.messages)) diffs.push('messages differ');
    if (canonical(server.pendingApprovals) !== canonical(mine.pendingApprovals)) diffs.push('pendingApprovals differ');
    if (server.title !== mine.title) diffs.push(`title ${JSON.stringify(server.title)} != ${JSON.stringify(mine.title)}`);
    if (diffs.length) this.fail(s.id, `turn ${s.turn}: state differs from the server's: ${diffs.join('; ')}`);
  }

  async stats({ gc = false, reset = false } = {}) {
    return Promise.all(
      this.servers.map(async (server) => {
        const res = await fetch(`${server.base}/__soak/stats?gc=${gc ? 1 : 0}&reset=${reset ? 1 : 0}`);
        return res.json();
      }),
    );
  }
}

async function startRun(mode) {
  const env = { SOAK_CHUNK_DELAY_MS: String(CHUNK_DELAY_MS) };
  let prefix;
  const servers = [];
  if (mode === 'redis') {
    prefix = `agent-chat-soak:${randomUUID()}`;
    Object.assign(env, { SOAK_STORE: 'redis', SOAK_REDIS_URL: REDIS_URL, SOAK_REDIS_PREFIX: prefix });
    servers.push(await startServer('scripts/soak-server.mjs', env), await startServer('scripts/soak-server.mjs', env));
  } else {
    servers.push(await startServer('scripts/soak-server.mjs', env));
  }
  const run = new Run(mode, servers);
  run.prefix = prefix;
  await sleep(2_000);
  if (prefix) {
    // Each process listens on its own control channel (forwarded approvals and their replies): count them.
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    const channels = await redis.pubsub('CHANNELS', `${prefix}:ctl:*`);
    await redis.quit();
    if (channels.length !== servers.length) run.fail('-', `${channels.length} of ${servers.length} processes subscribed to their control channel`);
  }
  run.start = await run.stats({ gc: true, reset: true });
  return run;
}

function summarize(run, minutes) {
  const perServer = run.servers.map((_, i) => {
    const start = run.start[i];
    const end = run.end[i];
    const windows = run.windows.map((w) => w.stats[i]);
    const firstLoad = windows[0]?.loopWindow;
    const lastLoad = windows.at(-1)?.loopWindow;
    return {
      rssMb: { start: mb(start.rss), peak: mb(Math.max(start.rss, ...windows.map((w) => w.rss), end.rss)), end: mb(end.rss) },
      heapUsedMb: { start: mb(start.heapUsed), end: mb(end.heapUsed) },
      loopDelayMs: { firstMinute: firstLoad, lastMinute: lastLoad, wholeRun: end.loopWhole },
      handles: { start: start.handles, lastMinuteUnderLoad: windows.at(-1)?.handles, end: end.handles },
      handleCount: { start: start.handleCount, end: end.handleCount },
    };
  });
  return {
    mode: run.mode,
    minutes,
    sessions: SESSIONS,
    counts: run.counts,
    servers: perServer,
    failureKinds: run.failureKinds,
    failures: run.failures,
  };
}

/** The commit the built packages came from, and whether their sources had changes on top of it. */
function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/core/src', 'packages/server/src'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} (+ uncommitted changes in ${dirty.split('\n').length} source files)` : head;
  } catch {
    return 'unknown';
  }
}
const commit = gitCommit();

async function main() {
  const modes = args.mode === 'both' ? ['one', 'redis'] : [args.mode];
  console.log(
    `[${now()}] soak on ${commit}: ${MINUTES} min, ${SESSIONS} sessions per mode, modes ${modes.join(' + ')}, ` +
      `${TURNS_PER_SESSION} turns per session, drop rate ${DROP_RATE}, resync rate ${RESYNC_RATE}, chunk delay ${CHUNK_DELAY_MS} ms`,
  );
  const runs = await Promise.all(modes.map(startRun));
  const t0 = Date.now();
  const stop = { at: t0 + MINUTES * 60_000 };
  const workers = runs.map((run) =>
    Promise.all(
      Array.from({ length: SESSIONS }, async (_, i) => {
        await sleep((i / SESSIONS) * Math.min(10_000, MINUTES * 30_000)); // ramp up
        await run.worker(stop, `soak-${i}`);
      }),
    ),
  );
  const sampler = setInterval(async () => {
    for (const run of runs) {
      try {
        const stats = await run.stats({ reset: true });
        run.windows.push({ t: Math.round((Date.now() - t0) / 1000), stats });
        const c = run.counts;
        console.log(
          `[${now()}] ${run.mode}: ${c.turns} turns, ${c.events} events, ${c.drops} drops, ${c.resumes} resumes, ` +
            `${c.failures} failures | ` +
            stats.map((st) => `rss ${mb(st.rss)} MB, loop p99 ${st.loopWindow.p99} ms max ${st.loopWindow.max} ms, ${st.handleCount} handles`).join(' | '),
        );
      } catch (error) {
        console.error(`[${now()}] ${run.mode}: stats failed: ${error.message}`);
      }
    }
  }, 60_000);
  const finish = Promise.all(workers);
  // Turns that started before the deadline finish; a hung one is reported, not waited for.
  const hung = await Promise.race([finish.then(() => false), sleep(MINUTES * 60_000 + 120_000).then(() => true)]);
  clearInterval(sampler);
  const results = [];
  for (const run of runs) {
    if (hung) run.fail('-', 'workers still busy 2 minutes after the deadline');
    await sleep(5_000); // let the servers settle: streams closed, timers done
    run.end = await run.stats({ gc: true });
    results.push(summarize(run, Math.round(((Date.now() - t0) / 60_000) * 10) / 10));
    await Promise.all(run.servers.map((s) => s.stop()));
    if (run.prefix) await cleanRedis(run.prefix);
  }
  const report = { startedAt: new Date(t0).toISOString(), endedAt: new Date().toISOString(), commit, args, results };
  console.log(JSON.stringify(report, null, 2));
  if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = results.some((r) => r.counts.failures > 0) ? 1 : 0;
  process.exit();
}

async function cleanRedis(prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

await main();
