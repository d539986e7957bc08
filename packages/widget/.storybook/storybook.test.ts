import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The BUILT catalogue (npm run build-storybook, after npm run build), served
 * from 127.0.0.1 and opened in Chromium: every element's docs page lists what
 * custom-elements.json says it has, and the controls of a story change the live
 * element (a property, a boolean, a custom property, the theme, a slot).
 */
const staticDir = fileURLToPath(new URL('../storybook-static/', import.meta.url));
const manifestFile = fileURLToPath(new URL('../custom-elements.json', import.meta.url));

interface Named {
  name: string;
}
interface Declaration {
  tagName?: string;
  members?: (Named & { kind?: string; static?: boolean; privacy?: string })[];
  attributes?: Named[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}

let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(`${staticDir}index.json`)) throw new Error(`${staticDir} is missing: run npm run build-storybook first`);
  const app = express();
  app.use(express.static(staticDir));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.once('close', () => expect(errors, `errors on ${path}`).toEqual([]));
  await page.goto(`${base}/${path}`);
  return page;
}

/** The story's iframe, once the story has rendered. */
async function preview(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#storybook-preview-iframe');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('#storybook-root agent-chat, #storybook-root [id="root-inner"] > *', { timeout: 20_000 });
  return frame;
}

describe('Storybook docs pages', () => {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
  const index = JSON.parse(readFileSync(`${staticDir}index.json`, 'utf8')) as { entries: Record<string, { type: string; title: string }> };
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);

  it('every element has a docs page whose table lists its properties, attributes, events, slots, parts and custom properties', async () => {
    expect(elements.length).toBe(11);
    // Three pages at a time: each docs page loads the whole preview.
    const queue = [...elements];
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let d = queue.shift(); d; d = queue.shift()) await checkDocsPage(d);
      })
    );
  });

  async function checkDocsPage(d: Declaration) {
    {
      const docs = Object.entries(index.entries).find(([, e]) => e.type === 'docs' && e.title.endsWith(`/${d.tagName}`));
      expect(docs, `a docs page for <${d.tagName}>`).toBeDefined();
      const page = await open(`iframe.html?viewMode=docs&id=${docs![0]}`);
      await page.locator('.docblock-argstable tbody tr').first().waitFor({ timeout: 20_000 });
      const rows = new Set(
        (await page.locator('.docblock-argstable tbody tr td:first-child').allInnerTexts()).map((t) => t.split('\n')[0]!.trim())
      );
      const expected = {
        properties: (d.members ?? []).filter(
          (m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#')
        ),
        attributes: d.attributes ?? [],
        events: d.events ?? [],
        slots: d.slots ?? [],
        parts: d.cssParts ?? [],
        'custom properties': d.cssProperties ?? [],
      };
      for (const [kind, entries] of Object.entries(expected)) {
        const missing = entries.map((e) => e.name).filter((name) => !rows.has(name));
        expect(missing, `<${d.tagName}> docs table, ${kind}`).toEqual([]);
      }
      expect(expected.properties.length + expected.parts.length + expected['custom properties'].length).toBeGreaterThan(5);
      await page.close();
    }
  }
});

describe('Storybook introduction', () => {
  it('links to the theming playground and to every element\'s docs page, and the links work', async () => {
    const index = JSON.parse(readFileSync(`${staticDir}index.json`, 'utf8')) as { entries: Record<string, { type: string }> };
    const page = await open('?path=/docs/introduction--docs');
    const docs = page.frameLocator('#storybook-preview-iframe');
    await docs.locator('#storybook-docs h1').first().waitFor({ timeout: 20_000 });
    const links = await docs.locator('a[href^="?path="]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    const ids = links.map((href) => href.replace(/^\?path=\/(docs|story)\//, ''));
    expect(ids.filter((id) => !index.entries[id]), 'links to pages that exist').toEqual([]);
    const elementDocs = Object.entries(index.entries)
      .filter(([id, e]) => e.type === 'docs' && id !== 'introduction--docs')
      .map(([id]) => id);
    expect(elementDocs.filter((id) => !ids.includes(id)), 'every docs page is linked').toEqual([]);
    await docs.locator('a[href="?path=/story/theming--playground"]').click();
    await expect.poll(() => page.url()).toContain('path=/story/theming--playground');
    await page.close();
  });
});

describe('Storybook controls', () => {
  it('a text and a boolean control change <agent-chat-composer>; its events are logged as actions', async () => {
    const page = await open('?path=/story/parts-agent-chat-composer--ready');
    const frame = await preview(page);
    await page.locator('#control-value').fill('Typed from a control');
    await expect
      .poll(() => frame.evaluate(() => document.querySelector('agent-chat-composer')!.shadowRoot!.querySelector('textarea')!.value))
      .toBe('Typed from a control');
    // Its events are logged as actions: Enter in the composer sends.
    await page.frameLocator('#storybook-preview-iframe').locator('agent-chat-composer textarea').press('Enter');
    await page.getByRole('tab', { name: /Actions/ }).click();
    await expect.poll(() => page.locator('#storybook-panel-root').innerText()).toContain('agent-chat-send');
    await page.getByRole('tab', { name: /Controls/ }).click();
    expect(
      await frame.evaluate(() => !!document.querySelector('agent-chat-composer')!.shadowRoot!.querySelector('[part~="stop-button"]'))
    ).toBe(false);
    await page.locator('label:has(#control-running)').click();
    await expect
      .poll(() => frame.evaluate(() => !!document.querySelector('agent-chat-composer')!.shadowRoot!.querySelector('[part~="stop-button"]')))
      .toBe(true);
    await page.close();
  });

  it('the theming playground sets --agent-chat-* custom properties and the theme on the live <agent-chat>', async () => {
    const page = await open('?path=/story/theming--playground');
    const frame = await preview(page);
    // The accent every part paints with (buttons, links, approvals), as the element resolves it.
    const accent = () => frame.evaluate(() => getComputedStyle(document.querySelector('agent-chat')!).getPropertyValue('--_accent').trim());
    const hostBackground = () => frame.evaluate(() => getComputedStyle(document.querySelector('agent-chat')!).backgroundColor);
    await expect.poll(accent).toBe('#b8532f'); // the default
    await page.locator('#control---agent-chat-accent').fill('#0a7d5a');
    await page.locator('#control---agent-chat-accent').press('Enter');
    await expect.poll(accent).toBe('#0a7d5a');
    expect(await frame.evaluate(() => document.querySelector('agent-chat')!.style.getPropertyValue('--agent-chat-accent'))).toBe('#0a7d5a');
    expect(await hostBackground()).toBe('rgb(255, 255, 255)');
    await page.locator('label:has(input[id^="control-theme-"][value="dark"]), label:text-is("dark")').first().click();
    await expect.poll(() => frame.evaluate(() => document.querySelector('agent-chat')!.getAttribute('theme'))).toBe('dark');
    await expect.poll(hostBackground).toBe('rgb(30, 30, 31)'); // the dark palette's background, #1e1e1f
    expect(await accent()).toBe('#0a7d5a'); // the host's own value still wins over the palette
    await page.close();
  });

  it('a slot control puts its text in the element', async () => {
    const page = await open('?path=/story/elements-agent-chat--empty');
    const frame = await preview(page);
    const slotted = () =>
      frame.evaluate(() => {
        const slot = document.querySelector('agent-chat')!.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="empty"]');
        return (
          slot
            ?.assignedElements()
            .map((e) => e.textContent)
            .join('') ?? null
        );
      });
    await expect.poll(slotted, { timeout: 15_000 }).toBe('Ask me about the files in your sandbox.');
    await page.locator('[id="control-slot:empty"]').fill('Bonjour !');
    await expect.poll(slotted).toBe('Bonjour !');
    await page.close();
  });
});
