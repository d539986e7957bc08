// Streaming budget of <agent-chat> (docs/benchmarks.md, "Widget"): a 50 KB
// markdown answer streamed at 3,000 tokens/s (≈ 4 characters a token, so
// 12,000 chars/s, as 1-token events, the ones due read together every 4 ms) through the real
// ChatClient over a mock fetch, in headless Chromium, with the prebuilt bundle.
// Measured: DOM updates (shadow-DOM mutation batches of the transcript) per
// animation frame, long tasks (> 50 ms, PerformanceObserver), and the main-thread
// work per frame near 5 KB and near 50 KB of text (the cost must not grow with length).
//   npm run build && node bench/widget/streaming.mjs [--json]
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveBundleFile } from '../lib/bundle-files.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TARGET_CHARS = 50 * 1024;
const TOKENS_PER_SECOND = 3000;
const CHARS_PER_TOKEN = 4;

const page = `<!doctype html><meta charset="utf-8"><title>streaming bench</title>
<style>html,body{margin:0;height:100%}</style>
<agent-chat style="height:100vh"></agent-chat>
<script type="module">
import '/agent-chat.js';
const { ChatClient } = await import('/core.js');
window.__bench = { ChatClient };
</script>`;

const server = createServer((req, res) => {
  if (serveBundleFile(req, res)) return;
  if (req.url === '/core.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(coreBundle);
  res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});

// ChatClient for the page's mock fetch: the same core the bundle uses, bundled on its own.
const { build } = await import('esbuild');
const coreBundle = (
  await build({ entryPoints: [`${root}packages/core/dist/index.js`], bundle: true, format: 'esm', write: false, minify: true, logLevel: 'silent' })
).outputFiles[0].text;

await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

try {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await tab.goto(url);
  await tab.waitForFunction(() => window.__bench && customElements.get('agent-chat'));
  const result = await tab.evaluate(
    async ({ TARGET_CHARS, TOKENS_PER_SECOND, CHARS_PER_TOKEN }) => {
      // The markdown: sections with paragraphs, lists, code and tables, repeated to 50 KB.
      const section = (i) =>
        `## Section ${i}\n\nSome **bold** text, a [link](https://example.com/${i}) and \`inline code\`. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n\n- item one of ${i}\n- item two\n  - nested\n\n\`\`\`js\nfunction f${i}(x) {\n  return x * ${i};\n}\n\`\`\`\n\n| a | b |\n| - | - |\n| ${i} | ${i * 2} |\n\n`;
      let text = '# Benchmark\n\n';
      for (let i = 1; text.length < TARGET_CHARS; i++) text += section(i);
      text = text.slice(0, TARGET_CHARS);
      const encoder = new TextEncoder();
      const frame = (id, event) => `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      const chunkChars = CHARS_PER_TOKEN;
      const intervalMs = 1000 / TOKENS_PER_SECOND;

      const fetch = async (input, init = {}) => {
        const path = new URL(String(input), location.href).pathname;
        const json = (body) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
        if (path.endsWith('/session/bench/messages')) return json({ messages: [], pendingApprovals: [], processing: false, lastEventId: 0 });
        if (path.endsWith('/health')) return json({ status: 'ok', protocolVersion: '1.0', activeSessions: 1, maxSessions: 1 });
        if (!path.includes('/chat/')) return new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 });
        let id = 0;
        const body = new ReadableStream({
          async start(controller) {
            const send = (e) => controller.enqueue(encoder.encode(frame(++id, e)));
            send({ type: 'ready', protocolVersion: '1.0', sessionId: 'bench', lastEventId: 0 });
            send({ type: 'processing', turnId: 't', assistantMessageId: 'a', userMessage: { id: 'u', text: 'go' } });
            const start = performance.now();
            let sent = 0;
            while (sent < text.length) {
              // Pace by the clock: as many tokens as 3,000/s allows by now (timers are coarse).
              const due = Math.min(text.length, Math.floor((performance.now() - start) / intervalMs) * chunkChars);
              // One read per tick with every token due by then, as a network read delivers
              // them (and as bench/render.mjs does): one event per read would measure the
              // mock stream's own per-chunk cost, not the widget's.
              let out = '';
              while (sent < due) {
                out += frame(++id, { type: 'assistant_chunk', messageId: 'a', delta: text.slice(sent, sent + chunkChars) });
                sent += chunkChars;
              }
              if (out) controller.enqueue(encoder.encode(out));
              await new Promise((r) => setTimeout(r, 4));
            }
            send({ type: 'assistant_stream_end', messageId: 'a' });
            send({ type: 'turn_complete', turnId: 't', stopReason: 'end_turn' });
            controller.close();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      };

      const el = document.querySelector('agent-chat');
      el.client = new window.__bench.ChatClient({ endpoint: '/api', fetch });
      el.sessionId = 'bench';
      await new Promise((r) => {
        const poll = () => (el.conversation.sessionId === 'bench' && el.shadowRoot.querySelector('agent-chat-composer')?.disabled === false ? r() : requestAnimationFrame(poll));
        poll();
      });
      const messages = el.shadowRoot.querySelector('agent-chat-messages');

      const longTasks = [];
      const longTaskAt = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          longTasks.push(e.duration);
          longTaskAt.push({ ms: Math.round(e.duration), atChars: el.conversation.messages.at(-1)?.parts[0]?.text?.length ?? 0 });
        }
      }).observe({ type: 'longtask', buffered: false });

      // Per animation frame: DOM mutation batches in the transcript, the text length, and the
      // busy time between frames (frame interval minus idle time is not observable; we time
      // the renders themselves by wrapping the element's update).
      const frames = [];
      let batches = 0;
      new MutationObserver(() => batches++).observe(messages.renderRoot, { subtree: true, childList: true, characterData: true, attributes: true });
      let renderMs = 0;
      for (const target of [el, messages]) {
        const update = target.update.bind(target);
        const updated = target.updated.bind(target);
        target.update = (changed) => {
          const t = performance.now();
          update(changed);
          renderMs += performance.now() - t;
        };
        target.updated = (changed) => {
          const t = performance.now();
          updated(changed);
          renderMs += performance.now() - t;
        };
      }
      let running = true;
      const sample = () => {
        const length = el.conversation.messages.at(-1)?.parts[0]?.text?.length ?? 0;
        frames.push({ batches, length, renderMs });
        batches = 0;
        renderMs = 0;
        if (running) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      const t0 = performance.now();
      await el.send('go');
      const elapsedMs = performance.now() - t0;
      running = false;
      await new Promise((r) => setTimeout(r, 100));

      const streaming = frames.filter((f) => f.length > 0 && f.length < TARGET_CHARS);
      const maxBatches = Math.max(...streaming.map((f) => f.batches));
      const framesWithMoreThanOne = streaming.filter((f) => f.batches > 1).length;
      const avg = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      const near = (kb) => streaming.filter((f) => f.length >= kb * 1024 * 0.8 && f.length <= kb * 1024 * 1.2 && f.batches > 0);
      const at5 = avg(near(5).map((f) => f.renderMs));
      const at50 = avg(near(50).map((f) => f.renderMs));
      const stats = [...el.shadowRoot.querySelector('agent-chat-messages').markdownRenderers.values()][0].stats;
      return {
        chars: text.length,
        tokensPerSecond: TOKENS_PER_SECOND,
        elapsedMs: Math.round(elapsedMs),
        frames: streaming.length,
        maxDomUpdatesPerFrame: maxBatches,
        framesWithMoreThanOneUpdate: framesWithMoreThanOne,
        longTasks: longTasks.length,
        longestTaskMs: Math.round(Math.max(0, ...longTasks)),
        renderMsPerFrameNear5KB: +at5.toFixed(2),
        renderMsPerFrameNear50KB: +at50.toFixed(2),
        ratio50to5: +(at50 / at5).toFixed(2),
        charsLexedPerCharStreamed: +(stats.charsLexed / text.length).toFixed(2),
        blocksRendered: stats.blocksRendered,
        longTaskAt,
      };
    },
    { TARGET_CHARS, TOKENS_PER_SECOND, CHARS_PER_TOKEN },
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`streamed ${result.chars} chars at ${result.tokensPerSecond} tokens/s in ${result.elapsedMs} ms over ${result.frames} frames`);
    console.log(`DOM updates per frame: max ${result.maxDomUpdatesPerFrame} (${result.framesWithMoreThanOneUpdate} frames with more than one)`);
    console.log(`long tasks (> 50 ms): ${result.longTasks} (longest ${result.longestTaskMs} ms)`);
    console.log(`render work per frame: ${result.renderMsPerFrameNear5KB} ms near 5 KB, ${result.renderMsPerFrameNear50KB} ms near 50 KB (x${result.ratio50to5})`);
    console.log(`markdown lexing: ${result.charsLexedPerCharStreamed} chars lexed per char streamed, ${result.blocksRendered} block renders`);
  }
} finally {
  await browser.close();
  server.close();
}
