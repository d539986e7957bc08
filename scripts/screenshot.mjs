// Takes docs/screenshot.png: the example page mid-turn (thinking done, markdown,
// tool calls, the write waiting for approval). Run after `npm run build`:
//   node scripts/screenshot.mjs [out.png] [--dark]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'docs/screenshot.png';
const dark = process.argv.includes('--dark');
// --panel: also open the code panel on the pending call (Edit), to see the two-column layout.
const panel = process.argv.includes('--panel');
const exampleDir = fileURLToPath(new URL('../examples/basic/', import.meta.url));

const child = spawn(process.execPath, ['server.js'], {
  cwd: exampleDir,
  env: { ...process.env, PORT: '0', ANTHROPIC_API_KEY: '', DEMO_CHUNK_DELAY_MS: '4' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let text = '';
  child.stdout.on('data', (chunk) => {
    text += chunk;
    const match = /running at (http:\/\/\S+)/.exec(text);
    if (match) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`example exited with ${code}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1000, height: 1240 },
    deviceScaleFactor: 1,
    colorScheme: dark ? 'dark' : 'light',
  });
  await page.goto(url);
  const input = page.locator('agent-chat textarea');
  await input.waitFor();
  await page.waitForFunction(() => !document.querySelector('agent-chat').shadowRoot.querySelector('textarea').disabled);
  await input.fill('What is (17 + 25) * 2? Look around the sandbox too.');
  await input.press('Enter');
  await page.locator('agent-chat button[data-approve]').waitFor({ timeout: 30_000 });
  if (panel) {
    await page.locator('agent-chat [part~="edit-button"]').first().click();
    await page.locator('agent-chat agent-chat-code-panel textarea').waitFor();
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
