import type { SessionMessages } from '@agent-chat/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { expectInteropEndpoints } from '../../../test-support/interop-endpoints.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

/** examples/script-tag as a real process; the page in Chromium loads the bundle by a script tag and completes a demo turn. */
describe('examples/script-tag in Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '5' });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  it('serves the AG-UI endpoint at /api/ag-ui and the useChat endpoint at /api/ui-chat, under the API\'s policy', async () => {
    await expectInteropEndpoints(new URL('api', example.url).href);
  });

  it('needs no build: one static page, the bundle and the files it imports from its folder', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(example.url);
    await expect.poll(() => page.evaluate(() => customElements.get('agent-chat') !== undefined)).toBe(true);
    await page.locator('agent-chat textarea').waitFor();
    const files = requested.filter((path) => !path.startsWith('/api/'));
    expect(files.slice(0, 2)).toEqual(['/', '/agent-chat/agent-chat.bundle.js']);
    // What the bundle shares with its lazily loaded parts comes with it.
    expect(files).toContainEqual(expect.stringMatching(/^\/agent-chat\/parts\/chunk-\w+\.js$/));
    // Anything else is loaded on demand from the bundle's folder, and nothing for tool calls before one arrives.
    expect(files.slice(2).filter((path) => !path.startsWith('/agent-chat/'))).toEqual([]);
    expect(files.filter((path) => path.includes('tool-parts'))).toEqual([]);
    expect(await page.evaluate(() => customElements.get('agent-chat-approvals'))).toBeUndefined();
    // And nothing else is served: no directory walk out of the bundle's folder.
    expect((await fetch(new URL('agent-chat/..%2F..%2Fpackage.json', example.url))).status).toBe(404);
  });

  it('completes a demo turn: send, stream, approve, done', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(example.url);
    const chat = page.locator('agent-chat');
    const input = chat.locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('Hello from a script tag');
    await input.press('Enter');

    const approve = chat.locator('button[data-approve]').first();
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    // The approval panel came from the tool parts, fetched from the bundle's folder on the first tool call.
    expect(requested.filter((path) => path.includes('tool-parts'))).toEqual([expect.stringMatching(/^\/agent-chat\/parts\/tool-parts-\w+\.js$/)]);
    await approve.click();

    const sessionId = await page.evaluate(() => localStorage.getItem('agent-chat:session:/api'));
    const history = async () =>
      (await (await fetch(new URL(`api/session/${sessionId}/messages`, example.url))).json()) as SessionMessages;
    await expect.poll(async () => (await history()).processing, { timeout: 30_000 }).toBe(false);
    const done = await history();
    expect(done.pendingApprovals).toEqual([]);
    expect(done.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    // The page shows the end of the answer, rendered from the stream.
    // (Playwright's text locators pierce shadow roots, however the widget nests its parts.)
    await chat.getByText(/That was the whole tour/).waitFor({ timeout: 15_000 });
  });
});
