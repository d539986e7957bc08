// Screenshots of the built Storybook for the docs: docs/screenshot-light.png,
// docs/screenshot-dark.png and docs/screenshot-restyled.png (docs/theming.md).
//   npm run build-storybook && node packages/widget/scripts/screenshots.mjs [out dir]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorybook } from './storybook-browser.mjs';

const dir = fileURLToPath(new URL('../storybook-static', import.meta.url));
const out = resolve(process.argv[2] ?? fileURLToPath(new URL('../../../docs', import.meta.url)));
const storybook = await openStorybook(dir);
const { base, browser } = storybook;
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
  await storybook.close();
}
