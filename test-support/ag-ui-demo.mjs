// @ts-check
// `<agent-chat protocol="ag-ui">` on the scripted AG-UI agent, in a browser:
//   npm run build && node test-support/ag-ui-demo.mjs [port]
// serves a page at http://127.0.0.1:<port>/ (default 3100) with the prebuilt bundle
// (packages/widget/dist/bundle) and the agent of ag-ui-scripted.mjs at /ag-ui-scripted.
// Try "hello", "reason about it", "use a tool", "research tides", "write the file"
// (an interrupt: edit the input, approve), "now fail", "a slow one" (then Stop).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScriptedAgUiAgent } from './ag-ui-scripted.mjs';

const bundleDir = fileURLToPath(new URL('../packages/widget/dist/bundle/', import.meta.url));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>agent-chat on an AG-UI agent</title>
    <style>
      html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
      agent-chat { display: block; height: 100vh; }
    </style>
    <script type="module" src="/bundle/agent-chat.bundle.js"></script>
  </head>
  <body>
    <agent-chat protocol="ag-ui" endpoint="/ag-ui-scripted"></agent-chat>
  </body>
</html>
`;

/**
 * Starts the demo server on 127.0.0.1:`port` (0: any free port).
 * @param {number} port
 * @returns {Promise<{ url: string; close: () => Promise<void> }>}
 */
export async function startAgUiDemo(port) {
  const agent = createScriptedAgUiAgent({ base: '/ag-ui-scripted', chunkDelayMs: 15 });
  const server = createServer((req, res) => {
    if (agent.handle(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    }
    if (path.startsWith('/bundle/')) {
      const file = normalize(path.slice('/bundle/'.length));
      if (!file.startsWith('..') && /^[\w./-]+\.js$/.test(file)) {
        try {
          const body = readFileSync(join(bundleDir, file));
          res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream' }).end(body);
          return;
        } catch {
          // Not built, or no such file: 404 below.
        }
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { url } = await startAgUiDemo(Number(process.argv[2] ?? 3100));
  console.log(`<agent-chat protocol="ag-ui"> on a scripted AG-UI agent: ${url}`);
}
