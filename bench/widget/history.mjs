// History budget of <agent-chat> (docs/benchmarks.md, "Widget"): with 1,000
// messages loaded, the DOM inside the widget stays bounded and sending stays
// under 100 ms (from Enter to the user's message on screen). Prebuilt bundle,
// headless Chromium, a mock fetch answering with the history and a short turn.
//   npm run build && node bench/widget/history.mjs [--json]
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { serveBundleFile } from '../lib/bundle-files.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const core = (await build({ entryPoints: [`${root}packages/core/dist/index.js`], bundle: true, format: 'esm', write: false, minify: true, logLevel: 'silent' })).outputFiles[0].text;
const page = `<!doctype html><meta charset="utf-8"><title>history bench</title><style>html,body{margin:0;height:100%}</style>
<agent-chat style="height:100vh"></agent-chat>
<script type="module">import '/agent-chat.js'; window.__core = await import('/core.js');</script>`;
const server = createServer((req, res) => {
  if (serveBundleFile(req, res)) return;
  if (req.url === '/core.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(core);
  res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  tab.on('crash', () => console.error('page crashed'));
  if (process.env.DEBUG) tab.on('console', (m) => console.error(m.text()));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.__core && customElements.get('agent-chat'));
  const result = await tab.evaluate(async () => {
    const COUNT = 1000;
    const messages = Array.from({ length: COUNT }, (_, i) =>
      i % 2 === 0
        ? { id: `u${i}`, role: 'user', parts: [{ type: 'text', text: `Question ${i / 2 + 1}: what about item ${i}?`, state: 'done' }] }
        : { id: `a${i}`, role: 'assistant', parts: [{ type: 'text', text: `## Answer ${i}\n\nA paragraph with **bold**, a [link](https://example.com) and \`code\`.\n\n- one\n- two\n\n\`\`\`js\nconst x = ${i};\n\`\`\``, state: 'done' }] },
    );
    const enc = new TextEncoder();
    const frame = (id, e) => enc.encode(`${id === undefined ? '' : `id: ${id}\n`}event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    let nextId = COUNT;
    let turn = 0;
    const fetch = async (input) => {
      const path = new URL(String(input), location.href).pathname;
      const json = (b) => new Response(JSON.stringify(b), { headers: { 'content-type': 'application/json' } });
      if (path.endsWith('/messages')) return json({ messages, pendingApprovals: [], processing: false, lastEventId: COUNT });
      if (path.endsWith('/health')) return json({ status: 'ok', protocolVersion: '1.0', activeSessions: 1, maxSessions: 1 });
      if (path.includes('/chat/')) {
        const body = new ReadableStream({
          start(c) {
            const n = ++turn;
            c.enqueue(frame(undefined, { type: 'ready', protocolVersion: '1.0', sessionId: 'h', lastEventId: nextId }));
            c.enqueue(frame(++nextId, { type: 'processing', turnId: `t${n}`, assistantMessageId: `new-a${n}`, userMessage: { id: `new-u${n}`, text: `one more question ${n}` } }));
            c.enqueue(frame(++nextId, { type: 'assistant_chunk', messageId: `new-a${n}`, delta: 'Sure.' }));
            c.enqueue(frame(++nextId, { type: 'turn_complete', turnId: `t${n}`, stopReason: 'end_turn' }));
            c.close();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      }
      return new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 });
    };
    const el = document.querySelector('agent-chat');
    const t0 = performance.now();
    el.client = new window.__core.ChatClient({ endpoint: '/api', fetch });
    el.sessionId = 'h';
    const messagesEl = () => el.shadowRoot.querySelector('agent-chat-messages');
    await new Promise((r) => {
      const poll = () => (messagesEl()?.renderRoot?.querySelectorAll('[part~="message"]').length ? r() : requestAnimationFrame(poll));
      poll();
    });
    const loadMs = performance.now() - t0;
    const countNodes = (root) => {
      let n = 0;
      const walk = (node) => {
        for (const child of node.children) {
          n++;
          walk(child);
          if (child.shadowRoot) walk(child.shadowRoot);
        }
      };
      walk(root);
      return n;
    };
    const domNodes = countNodes(el.shadowRoot);
    const renderedMessages = messagesEl().renderRoot.querySelectorAll('[part~="message"]').length;

    // Send: from the composer's Enter to the user's message in the DOM, over a few sends.
    const composer = el.shadowRoot.querySelector('agent-chat-composer');
    const textarea = composer.renderRoot.querySelector('textarea');
    const sendTimes = [];
    for (let i = 0; i < 5; i++) {
      while (el.conversation.status !== 'idle' || el.streaming) await new Promise((r) => setTimeout(r, 20));
      textarea.value = `one more question ${i}`;
      textarea.dispatchEvent(new InputEvent('input'));
      await new Promise((r) => requestAnimationFrame(r));
      const before = el.conversation.messages.length;
      const start = performance.now();
      textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      await new Promise((r) => {
        const poll = () => {
          const shown = [...messagesEl().renderRoot.querySelectorAll('[part~="user-message"] .bubble')].some((b) => b.textContent === `one more question ${i + 1}`);
          return el.conversation.messages.length > before && shown ? r() : requestAnimationFrame(poll);
        };
        poll();
      });
      sendTimes.push(performance.now() - start);
    }
    const domAfter = countNodes(el.shadowRoot);
    return {
      messages: COUNT,
      loadMs: Math.round(loadMs),
      renderedMessages,
      domNodes,
      domNodesAfterFiveSends: domAfter,
      sendMs: sendTimes.map((t) => Math.round(t)),
      sendMsMedian: Math.round(sendTimes.sort((a, b) => a - b)[2]),
    };
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`${result.messages} messages loaded in ${result.loadMs} ms; ${result.renderedMessages} rendered; ${result.domNodes} elements in the widget's shadow DOM (${result.domNodesAfterFiveSends} after five more turns)`);
    console.log(`send (Enter to the message on screen): ${result.sendMs.join(', ')} ms; median ${result.sendMsMedian} ms`);
  }
} finally {
  await browser.close();
  server.close();
}
