// Opens every story of a built Storybook (npm run build-storybook) in headless
// Chromium and fails when one throws, logs an error, or renders no element.
// With --shots <dir>, saves a screenshot of each story there (to look at them).
//   node packages/widget/scripts/check-stories.mjs [storybook-static dir] [--shots /tmp/shots]
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorybook } from './storybook-browser.mjs';

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--shots');
const shots = shotsAt === -1 ? undefined : args[shotsAt + 1];
const dir = resolve(args.find((a, i) => !a.startsWith('--') && i !== shotsAt + 1) ?? fileURLToPath(new URL('../storybook-static', import.meta.url)));
const storybook = await openStorybook(dir);
const { base, browser } = storybook;
if (shots) mkdirSync(shots, { recursive: true });

const { entries } = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const stories = Object.values(entries).filter((e) => e.type === 'story');
const failures = [];
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  for (const story of stories) {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('favicon.svg') && !r.url().endsWith('favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`);
    await page.waitForFunction(() => document.querySelector('#storybook-root')?.querySelector('*'), null, { timeout: 15_000 }).catch(() => problems.push('nothing rendered'));
    await page.waitForTimeout(900);
    const tags = await page.evaluate(() => [...document.querySelectorAll('#storybook-root *')].map((e) => e.localName).filter((n) => n.startsWith('agent-chat')));
    if (tags.length === 0) problems.push('no agent-chat element');
    if (shots) await page.screenshot({ path: join(shots, `${story.id}.png`) });
    if (problems.length) failures.push(`${story.id}: ${problems.join('; ')}`);
    console.log(`${problems.length ? '✗' : '✓'} ${story.id}`);
    await page.close();
  }
} finally {
  await storybook.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`${stories.length} stories rendered without errors`);
