import type { SessionInfo } from '@agent-chat/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

/**
 * The first minutes of a newcomer on `examples/basic` (what `npm start` serves):
 * visits from new browsers, "New chat" clicks, the sessions list beside the
 * chat with titles from the first message, and not one failed request.
 */
describe('examples/basic: first visits', () => {
  let example: RunningExample;
  let browser: Browser;

  beforeAll(async () => {
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '5' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  const sessions = async () => ((await (await fetch(`${example.url}api/sessions`)).json()) as { sessions: SessionInfo[] }).sessions;

  it('visits from new browsers and "New chat" clicks share one empty session; the list titles a session from its first message; no request fails', async () => {
    const failed: string[] = [];
    const visit = async () => {
      // A new browser context: nothing remembered, like another browser or a private window.
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => failed.push(error.message));
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(example.url);
      await expect.poll(() => page.locator('agent-chat textarea').isEnabled(), { timeout: 15_000 }).toBe(true);
      return { context, page };
    };

    const first = await visit();
    for (let i = 0; i < 3; i++) await (await visit()).context.close();
    expect((await sessions()).length).toBe(1);

    // The sessions list sits beside the chat; "New chat" on an empty session stays on it.
    const { page } = first;
    const sidebar = page.locator('agent-chat-sessions');
    const newChat = sidebar.locator('[part~="new-session"]');
    await newChat.waitFor({ state: 'visible' });
    await newChat.click();
    await newChat.click();
    await expect.poll(async () => (await sessions()).length).toBe(1);
    const chatBox = await page.locator('agent-chat').boundingBox();
    const listBox = await sidebar.boundingBox();
    expect(listBox!.x + listBox!.width).toBeLessThanOrEqual(chatBox!.x + 1);

    // A first turn waiting for approval already has its title in the list.
    const input = page.locator('agent-chat textarea');
    await input.fill('Plan my week of pancakes');
    await input.press('Enter');
    await page.locator('agent-chat button[data-approve]').first().waitFor({ state: 'visible', timeout: 30_000 });
    await sidebar.locator('[part~="session-active"]').getByText('Plan my week of pancakes').waitFor({ timeout: 10_000 });
    expect((await sessions()).map((s) => s.title)).toEqual(['Plan my week of pancakes']);

    // Now that it has a message, "New chat" makes a second session.
    await newChat.click();
    await expect.poll(async () => (await sessions()).length).toBe(2);
    expect(failed).toEqual([]);
  });
});
