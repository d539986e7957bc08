// `npm run bench [-- --quick] [-- --json]`: runs every figure of docs/benchmarks.md,
// each in its own process (servers under test in further processes), and prints
// one table: ours, the baseline, ours/baseline and the goal. Numbers never fail
// the run (benchmarks are not tests); a crash does (exit code 1).
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { quick, json } from './lib/args.mjs';
import { root, spawnNode } from './lib/process.mjs';

/** Runs one bench script with --json and returns its parsed report. */
function runScript(script, extra = []) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawnNode([script, '--json', ...(quick ? ['--quick'] : []), ...extra]);
    // A hung bench is a crash: nothing may keep CI waiting.
    const limitMs = (quick ? 4 : 15) * 60_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return reject(new Error(`${script} took over ${limitMs / 60_000} minutes and was stopped`));
      if (code !== 0) return reject(new Error(`${script} exited with ${code ?? signal}`));
      const text = out.trim();
      try {
        // Scripts print one JSON document (the widget's scripts pretty-print it).
        resolve({ ...JSON.parse(text.slice(text.indexOf('{'))), seconds: Math.round((performance.now() - t0) / 1000) });
      } catch (error) {
        reject(new Error(`${script} printed no JSON: ${error.message}\n${text.slice(0, 500)}`));
      }
    });
  });
}

const fmt = (n, digits = 0) =>
  typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(n ?? '–');
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0 ? `${(a / b).toFixed(2)}x` : '–');
const kb = (bytes) => `${fmt(bytes / 1024, 1)} KB`;
const rows = [];
const row = (figure, measure, ours, baseline, r, goal, met) => rows.push({ figure, measure, ours, baseline, ratio: r, goal, met });
const yes = (ok) => (ok === undefined ? '' : ok ? 'yes' : 'NO');

const startedAt = new Date();
const load = [loadavg()[0]];
const results = {};
const crashes = [];
async function step(name, script, extra) {
  process.stderr.write(`bench: ${name}...\n`);
  try {
    results[name] = await runScript(script, extra);
  } catch (error) {
    crashes.push(`${name}: ${error.message}`);
  }
  load.push(loadavg()[0]);
}

await step('pipeline', 'bench/pipeline.mjs');
await step('streams', 'bench/streams.mjs');
await step('resume', 'bench/resume.mjs');
await step('render', 'bench/render.mjs');
await step('bundle', 'bench/bundle.mjs');
// The widget's own budgets (bench/widget/, issue 5), when present.
if (existsSync(`${root}bench/widget/bundle-size.mjs`)) await step('widgetBundle', 'bench/widget/bundle-size.mjs');
if (existsSync(`${root}bench/widget/streaming.mjs`)) await step('widgetStreaming', 'bench/widget/streaming.mjs');

const p = results.pipeline;
if (p) {
  for (const { ours, bare } of p.throughput) {
    const goal = ours.subscribers === 1 ? '≥ 0.50x' : '';
    row('1 throughput', `events/s per stream, ${ours.subscribers} subscriber(s), ${fmt(ours.events)} events`, fmt(ours.eventsPerSecond), fmt(bare.eventsPerSecond), ratio(ours.eventsPerSecond, bare.eventsPerSecond), goal, ours.subscribers === 1 ? yes(ours.eventsPerSecond >= bare.eventsPerSecond / 2) : '');
  }
  const s = p.stall;
  row('1 stall', `longest event-loop stall, fan-out to ${fmt(s.ours.subscribers)}, ${fmt(s.ours.events)} events`, `${fmt(s.ours.loopMaxMs)} ms`, `${fmt(s.bare.loopMaxMs)} ms`, ratio(s.ours.loopMaxMs, s.bare.loopMaxMs), '≤ 20 ms', yes(s.ours.loopMaxMs <= 20));
  for (const { ours, bare } of p.throughput) {
    const extra = ours.cpuUsPerEvent - bare.cpuUsPerEvent;
    row('2 CPU/event', `server CPU µs per delivered event, ${ours.subscribers} subscriber(s) (ours − bare: ${fmt(extra, 2)} µs)`, fmt(ours.cpuUsPerEvent, 2), fmt(bare.cpuUsPerEvent, 2), ratio(ours.cpuUsPerEvent, bare.cpuUsPerEvent), '< 5 µs over bare', yes(extra < 5));
  }
}
const st = results.streams;
if (st) {
  row('3 streams', `RSS per idle stream, ${fmt(st.ours.streams)} streams`, kb(st.ours.bytesPerStream), kb(st.bare.bytesPerStream), ratio(st.ours.bytesPerStream, st.bare.bytesPerStream), '< 20 KB', yes(st.ours.bytesPerStream < 20 * 1024));
  row('3 streams', 'JS heap + external per idle stream', kb(st.ours.heapPerStream), kb(st.bare.heapPerStream), ratio(st.ours.heapPerStream, st.bare.heapPerStream), '', '');
  row('3 streams', `GET /health p99 with the streams open (p50 ${fmt(st.ours.healthP50Ms, 2)} ms)`, `${fmt(st.ours.healthP99Ms, 1)} ms`, `${fmt(st.bare.healthP99Ms, 1)} ms`, ratio(st.ours.healthP99Ms, st.bare.healthP99Ms), '< 50 ms', yes(st.ours.healthP99Ms < 50));
}
const r = results.resume;
if (r) {
  row('4 resume', `memory store: replay of ${fmt(r.chunks)} chunks (${kb(r.textBytes)} text), p95 (p50 ${fmt(r.memory.p50Ms, 1)} ms)`, `${fmt(r.memory.p95Ms, 1)} ms`, '', '', '< 50 ms', yes(r.memory.p95Ms < 50));
  row('4 resume', 'memory store: bytes on the wire / text bytes', `${kb(r.memory.bytes)} (${r.memory.bytesPerTextByte}x)`, kb(r.textBytes), ratio(r.memory.bytes, r.textBytes), '≤ 2x', yes(r.memory.bytesPerTextByte <= 2));
  if (r.redis && !r.redis.skipped) {
    row('4 resume', `Redis store (other process): replay p95 vs raw XRANGE (p50 ${fmt(r.redis.p50Ms, 1)} / ${fmt(r.xrange.p50Ms, 1)} ms)`, `${fmt(r.redis.p95Ms, 1)} ms`, `${fmt(r.xrange.p95Ms, 1)} ms`, ratio(r.redis.p95Ms, r.xrange.p95Ms), '< 50 ms', yes(r.redis.p95Ms < 50));
    row('4 resume', 'Redis store: bytes on the wire (vs XRANGE reply)', `${kb(r.redis.bytes)} (${r.redis.bytesPerTextByte}x)`, kb(r.xrange.bytes), ratio(r.redis.bytes, r.xrange.bytes), '≤ 2x text', yes(r.redis.bytesPerTextByte <= 2));
  } else if (r.redis) row('4 resume', `Redis store: ${r.redis.skipped}`, '–', '–', '', '', '');
}
const rd = results.render;
if (rd) {
  for (const throttle of [1, 4]) {
    const o = rd.runs.find((x) => x.mode === 'ours' && x.throttle === throttle);
    const n = rd.runs.find((x) => x.mode === 'naive' && x.throttle === throttle);
    const h = rd.runs.find((x) => x.mode === 'harness' && x.throttle === throttle);
    const t = `${throttle}x CPU, ${kb(o.chars)}`;
    const ownO = o.totalMainThreadMs - h.totalMainThreadMs;
    const ownN = n.totalMainThreadMs - h.totalMainThreadMs;
    row('5 render', `total main-thread time, ${t}`, `${fmt(o.totalMainThreadMs)} ms`, `${fmt(n.totalMainThreadMs)} ms`, ratio(o.totalMainThreadMs, n.totalMainThreadMs), '', '');
    row('5 render', `  the same minus the harness alone (${fmt(h.totalMainThreadMs)} ms: paced stream, read and dropped)`, `${fmt(ownO)} ms`, `${fmt(ownN)} ms`, ratio(ownO, ownN), '≤ 0.10x', yes(ownO <= ownN / 10));
    row('5 render', `longest task (tasks > 50 ms: ${o.tasksOver50Ms} / ${n.tasksOver50Ms}), ${t}`, `${fmt(o.longestTaskMs, 1)} ms`, `${fmt(n.longestTaskMs, 1)} ms`, ratio(o.longestTaskMs, n.longestTaskMs), '≤ 50 ms', yes(o.longestTaskMs <= 50));
    row('5 render', `main-thread ms per frame at 10% / 50% / 100%, ${t}`, `${fmt(o.msPerFrameAt10, 2)} / ${fmt(o.msPerFrameAt50, 2)} / ${fmt(o.msPerFrameAt100, 2)}`, `${fmt(n.msPerFrameAt10, 2)} / ${fmt(n.msPerFrameAt50, 2)} / ${fmt(n.msPerFrameAt100, 2)}`, ratio(o.msPerFrameAt100, n.msPerFrameAt100), '100% ≤ 1.5x 10%', yes(o.msPerFrameAt100 <= 1.5 * Math.max(o.msPerFrameAt10, 0.01)));
  }
}
const b = results.bundle;
if (b) {
  const ours = b.subjects.find((s) => s.name === 'ours');
  const eager = b.subjects.find((s) => s.name === 'ours-eager');
  const others = b.subjects.filter((s) => !s.name.startsWith('ours'));
  if (eager) row('6 bundle', `min+gzip initial load with every tag registered at once (@agent-chat/widget/define)`, kb(eager.gzip), '', '', '', '');
  for (const other of others) {
    const goal = other.name === 'deep-chat' ? '≤ 50 KB and < 0.5x' : '';
    row('6 bundle', `min+gzip initial load vs ${other.name} ${other.version} (lazy: ${ours.lazyChunks} chunks ${kb(ours.lazyGzip)} / ${other.lazyChunks} chunks ${kb(other.lazyGzip)})`, kb(ours.gzip), kb(other.gzip), ratio(ours.gzip, other.gzip), goal, goal ? yes(ours.gzip <= 50 * 1024 && ours.gzip < other.gzip / 2) : '');
  }
}
const wb = results.widgetBundle;
if (wb?.bundle) row('widget', 'prebuilt bundle (bench/widget/bundle-size.mjs), min+gzip', kb(wb.bundle.gzip), '', '', wb.budgetGzip ? `≤ ${kb(wb.budgetGzip)}` : '', wb.budgetGzip ? yes(wb.bundle.gzip <= wb.budgetGzip) : '');
const ws = results.widgetStreaming;
if (ws) row('widget', 'render ms per frame near 5 KB / 50 KB (bench/widget/streaming.mjs)', `${ws.renderMsPerFrameNear5KB} / ${ws.renderMsPerFrameNear50KB}`, '', '', '', '');

const chromium = (() => {
  try {
    return execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = {
  date: startedAt.toISOString(),
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  chromium,
  loadAverage1m: load.map((l) => l.toFixed(2)).join(' → '),
};

if (json) console.log(JSON.stringify({ machine, rows, results, crashes }, null, 2));
else {
  for (const [k, v] of Object.entries(machine)) console.log(`${k}: ${v}`);
  console.log('');
  const head = ['figure', 'measure', 'ours', 'baseline', 'ours/baseline', 'goal', 'met'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const x of rows) console.log(`| ${[x.figure, x.measure, x.ours, x.baseline, x.ratio, x.goal, x.met].join(' | ')} |`);
  for (const c of crashes) console.log(`\nCRASHED ${c}`);
}
process.exit(crashes.length > 0 ? 1 : 0);
