// Screenshots of the built Storybook for the docs: docs/screenshot-light.png,
// docs/screenshot-dark.png and docs/screenshot-restyled.png (docs/theming.md).
//   npm run build-storybook && node packages/widget/scripts/screenshots.mjs [out dir]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = fileURLToPath(new URL('../storybook-static', import.meta.url));
const out = resolve(process.argv[2] ?? fileURLToPath(new URL('../../../docs', import.meta.url)));
if (!existsSync(join(dir, 'index.json'))) throw new Error('No built Storybook: run npm run build-storybook');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!path.startsWith(dir) || !existsSync(path) || statSync(path).isDirectory()) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const [name, story] of [
    ['light', 'elements-agent-chat--edited-approval'],
    ['dark', 'elements-agent-chat--dark'],
    ['restyled', 'elements-agent-chat--restyled'],
  ]) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 }, deviceScaleFactor: 1 });
    await page.goto(`${base}/iframe.html?id=${story}&viewMode=story`);
    await page.waitForFunction(() => document.querySelector('agent-chat')?.conversation?.messages.length > 0);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(out, `screenshot-${name}.png`) });
    console.log(`wrote ${join(out, `screenshot-${name}.png`)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
