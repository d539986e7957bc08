// Figure 5: streaming render in headless Chromium. A markdown answer (50 KB;
// headings, lists, tables, code) streamed at 3,000 tokens/s (4 characters a
// token) into <agent-chat> (prebuilt bundle, real ChatClient over a mock
// fetch), and, as the baseline, into the naive renderer many apps write: on
// every read from the stream, marked.parse(whole text) and replace innerHTML.
// A third mode, the harness alone (the paced stream read and dropped), is
// the control: its cost is in both others and is subtracted in the table.
// Each at 1x and at 4x CPU throttling (DevTools Emulation.setCPUThrottlingRate).
// Measured from a DevTools trace (toplevel, devtools.timeline): the renderer main thread's
// tasks (RunTask, thread CPU time) give the total main-thread time and the longest task; their
// time per animation frame is taken over the frames that ran while 5-15%,
// 45-55% and 90-100% of the characters had been sent (rAF timestamps mapped
// onto the trace clock through a performance.mark).
//   npm run build && node bench/render.mjs [--quick] [--json] [--profile]
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { quick, report, size } from './lib/args.mjs';
import { root } from './lib/process.mjs';
import { serveBundleFile } from './lib/bundle-files.mjs';
import { round } from './lib/stats.mjs';

const TARGET_CHARS = size(50 * 1024, 10 * 1024);
const TOKENS_PER_SECOND = 3000;
const CHARS_PER_TOKEN = 4;

const helpers = (
  await build({
    stdin: { contents: `export { ChatClient } from '@agent-chat/core'; export { marked } from 'marked';`, resolveDir: root },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  })
).outputFiles[0].text;

const page = `<!doctype html><meta charset="utf-8"><title>render bench</title>
<style>html,body{margin:0;height:100%} #naive{height:100vh;overflow:auto;font:14px system-ui}</style>
<agent-chat style="height:100vh"></agent-chat><div id="naive" hidden></div>
<script type="module">import '/agent-chat.js'; window.__helpers = await import('/helpers.js');</script>`;

const server = createServer((req, res) => {
  if (serveBundleFile(req, res)) return;
  if (req.url === '/helpers.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(helpers);
  res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

/** In the page: stream the answer into `mode` ('harness' | 'ours' | 'naive'), marking progress points. */
function streamInPage({ mode, TARGET_CHARS, TOKENS_PER_SECOND, CHARS_PER_TOKEN }) {
  const section = (i) =>
    `## Section ${i}\n\nSome **bold** text, a [link](https://example.com/${i}) and \`inline code\`. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n\n- item one of ${i}\n- item two\n  - nested\n\n\`\`\`js\nfunction f${i}(x) {\n  return x * ${i};\n}\n\`\`\`\n\n| a | b |\n| - | - |\n| ${i} | ${i * 2} |\n\n`;
  let text = '# Benchmark\n\n';
  for (let i = 1; text.length < TARGET_CHARS; i++) text += section(i);
  text = text.slice(0, TARGET_CHARS);

  // Every animation frame: when it ran (performance.now(), ms) and how much of the text had been sent.
  const frameLog = [];
  let sent = 0;
  let running = true;
  const tick = (now) => {
    frameLog.push([now, sent / text.length]);
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const mark = (name) => performance.mark(`bench:${name}`);

  // The wire: SSE frames paced by the clock (timers are coarse: every ~4 ms, all tokens due by then, as one read).
  const encoder = new TextEncoder();
  const frame = (id, e) => `id: ${id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
  const body = () =>
    new ReadableStream({
      async start(controller) {
        let id = 0;
        controller.enqueue(encoder.encode(frame(++id, { type: 'ready', protocolVersion: '1.0', sessionId: 'bench', lastEventId: 0 }) + frame(++id, { type: 'processing', turnId: 't', assistantMessageId: 'a', userMessage: { id: 'u', text: 'go' } })));
        const start = performance.now();
        while (sent < text.length) {
          const due = Math.min(text.length, Math.ceil(((performance.now() - start) * TOKENS_PER_SECOND) / 1000) * CHARS_PER_TOKEN);
          let out = '';
          while (sent < due) {
            out += frame(++id, { type: 'assistant_chunk', messageId: 'a', delta: text.slice(sent, sent + CHARS_PER_TOKEN) });
            sent = Math.min(text.length, sent + CHARS_PER_TOKEN);
          }
          if (out) controller.enqueue(encoder.encode(out));
          await new Promise((r) => setTimeout(r, 4));
        }
        controller.enqueue(encoder.encode(frame(++id, { type: 'assistant_stream_end', messageId: 'a' }) + frame(++id, { type: 'turn_complete', turnId: 't', stopReason: 'end_turn' })));
        controller.close();
      },
    });

  const finish = async () => {
    // Two frames after the last byte so the final render is in.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    mark('100');
    running = false;
    return { chars: text.length, frameLog };
  };

  if (mode === 'harness') {
    // The control: the same paced stream, read and dropped (what every mode pays for the mock server).
    return (async () => {
      mark('start');
      const reader = body().getReader();
      while (!(await reader.read()).done);
      return finish();
    })();
  }
  if (mode === 'naive') {
    const el = document.getElementById('naive');
    document.querySelector('agent-chat').hidden = true;
    el.hidden = false;
    return (async () => {
      mark('start');
      const reader = body().pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let answer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const parts = buffer.split('\n\n');
        buffer = parts.pop();
        for (const p of parts) {
          const data = p.split('\n').find((l) => l.startsWith('data: '));
          const event = data && JSON.parse(data.slice(6));
          if (event?.type === 'assistant_chunk') answer += event.delta;
        }
        el.innerHTML = window.__helpers.marked.parse(answer);
        el.scrollTop = el.scrollHeight;
      }
      return finish();
    })();
  }
  const el = document.querySelector('agent-chat');
  const fetch = async (input) => {
    const path = new URL(String(input), location.href).pathname;
    const json = (b) => new Response(JSON.stringify(b), { headers: { 'content-type': 'application/json' } });
    if (path.endsWith('/messages')) return json({ messages: [], pendingApprovals: [], processing: false, lastEventId: 0 });
    if (path.endsWith('/health')) return json({ status: 'ok', protocolVersion: '1.0', activeSessions: 1, maxSessions: 1 });
    if (path.includes('/chat/')) return new Response(body(), { headers: { 'content-type': 'text/event-stream' } });
    return new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 });
  };
  el.client = new window.__helpers.ChatClient({ endpoint: '/api', fetch });
  el.sessionId = 'bench';
  return (async () => {
    await new Promise((r) => {
      const poll = () => (el.shadowRoot?.querySelector('agent-chat-composer')?.disabled === false ? r() : requestAnimationFrame(poll));
      poll();
    });
    mark('start');
    await el.send('go');
    return finish();
  })();
}

async function run(mode, throttle) {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  try {
    const cdp = await tab.context().newCDPSession(tab);
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => window.__helpers && customElements.get('agent-chat'));
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const profile = process.argv.includes('--profile');
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    } else await browser.startTracing(tab, { categories: ['toplevel', 'devtools.timeline', 'blink.user_timing'] });
    const out = await tab.evaluate(streamInPage, { mode, TARGET_CHARS, TOKENS_PER_SECOND, CHARS_PER_TOKEN });
    if (profile) return printProfile(mode, throttle, (await cdp.send('Profiler.stop')).profile);
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
    // The page's main thread is the one that recorded our marks.
    const markTs = {};
    let main;
    /** Trace clock (µs) minus the page's performance.now() (ms × 1000). */
    let offset = 0;
    for (const e of trace) {
      if (typeof e.name === 'string' && e.name.startsWith('bench:') && e.ts) {
        markTs[e.name.slice(6)] ??= e.ts;
        main = `${e.pid}:${e.tid}`;
        offset = e.ts - e.args.data.startTime * 1000;
      }
    }
    // Top-level tasks only: a task nested in another (a nested run loop) is already counted.
    const tasks = [];
    let end = 0;
    for (const e of trace
      .filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.ph === 'X' && `${e.pid}:${e.tid}` === main)
      .sort((a, b) => a.ts - b.ts)) {
      if (e.ts >= end) {
        tasks.push(e);
        end = e.ts + e.dur;
      }
    }
    /** Main-thread task time (ms) whose start lies between two marks. */
    // Thread CPU time (tdur) where the trace has it: wall time (dur) also counts waiting for a core on a busy machine.
    const cost = (t) => t.tdur ?? t.dur;
    const busyBetween = (from, to) => tasks.filter((t) => t.ts >= from && t.ts < to).reduce((sum, t) => sum + cost(t), 0) / 1000;
    const busy = (a, b) => busyBetween(markTs[a], markTs[b]);
    /** Main-thread ms per frame over the frames that ran while `from`..`to` of the text had been sent (at least 5 frames). */
    const perFrame = (from, to) => {
      let frames = out.frameLog.filter(([, progress]) => progress >= from && progress <= to);
      if (frames.length < 5) {
        const i = Math.max(0, out.frameLog.findIndex(([, progress]) => progress >= from));
        frames = out.frameLog.slice(Math.max(0, i - 2), i + 3);
      }
      if (frames.length < 2) return Number.NaN;
      const first = frames[0][0] * 1000 + offset;
      const last = frames.at(-1)[0] * 1000 + offset;
      return busyBetween(first, last) / (frames.length - 1);
    };
    const during = tasks.filter((t) => t.ts >= markTs.start && t.ts < markTs['100']);
    return {
      mode,
      throttle,
      chars: out.chars,
      totalMainThreadMs: round(busy('start', '100'), 0),
      longestTaskMs: round(Math.max(0, ...during.map(cost)) / 1000, 1),
      longestTaskWallMs: round(Math.max(0, ...during.map((t) => t.dur)) / 1000, 1),
      tasksOver50Ms: during.filter((t) => cost(t) > 50_000).length,
      msPerFrameAt10: round(perFrame(0.05, 0.15), 2),
      msPerFrameAt50: round(perFrame(0.45, 0.55), 2),
      msPerFrameAt100: round(perFrame(0.9, 1), 2),
    };
  } finally {
    await tab.close();
  }
}

/** `--profile`: instead of the trace, a CPU profile per run; prints the top functions by self time to stderr. */
function printProfile(mode, throttle, profile) {
  const self = new Map();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byNode.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.error(`\n${mode} at ${throttle}x: top self time`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.error(`  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
  return { mode, throttle, profiled: true };
}

const result = { quick, tokensPerSecond: TOKENS_PER_SECOND, runs: [] };
try {
  for (const throttle of [1, 4]) for (const mode of ['harness', 'ours', 'naive']) result.runs.push(await run(mode, throttle));
} finally {
  await browser.close();
  server.close();
}
report(result);
