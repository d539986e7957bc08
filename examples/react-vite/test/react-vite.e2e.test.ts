import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SessionMessages } from '@agent-chat/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { expectInteropEndpoints } from '../../../test-support/interop-endpoints.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
// vite's `exports` hides bin/: find it next to its package.json.
const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');

/**
 * examples/react-vite, built with Vite and served by its server.js, in Chromium:
 * a demo turn through the <AgentChat> component, then one through the custom UI on useAgentChat().
 */
describe('examples/react-vite in Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: exampleDir });
    expect(existsSync(`${exampleDir}/dist/index.html`)).toBe(true);
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '5' });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Every request answers: no missing favicon, no missing chunk.
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  it('serves the AG-UI endpoint at /api/ag-ui and the useChat endpoint at /api/ui-chat, under the API\'s policy', async () => {
    await expectInteropEndpoints(new URL('api', example.url).href);
  });

  it('type-checks (tsc, strict) against the built packages', async () => {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', exampleDir]);
  });

  const history = async (sessionId: string | null) =>
    (await (await fetch(new URL(`api/session/${sessionId}/messages`, example.url))).json()) as SessionMessages;

  it('streams a demo turn through the <AgentChat> component, with its typed event handlers', async () => {
    await page.goto(`${example.url}#/component`);
    const chat = page.locator('agent-chat');
    const input = chat.locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('Hello from React');
    await input.press('Enter');

    const log = page.getByTestId('event-log');
    await log.getByText('sent: Hello from React').waitFor();
    const approve = chat.locator('button[data-approve]').first();
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    await approve.click();
    await log.getByText('approved 1 tool call(s)').waitFor();
    await log.getByText('turn complete (end_turn)').waitFor({ timeout: 30_000 });
    await chat.getByText(/That was the whole tour/).waitFor();

    const done = await history(await page.evaluate(() => localStorage.getItem('agent-chat:session:/api')));
    expect(done.processing).toBe(false);
    expect(done.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('streams a demo turn through the custom UI on useAgentChat()', async () => {
    await page.getByRole('link', { name: 'useAgentChat() custom UI' }).click();
    const panel = page.locator('.custom-chat');
    const input = panel.getByLabel('Message');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('Hello from the hook');
    // Record every length the answer takes in the DOM (not sampled: observed).
    await page.evaluate(() => {
      const lengths: number[] = [];
      (window as unknown as { answerLengths: number[] }).answerLengths = lengths;
      const log = document.querySelector('.custom-chat .messages')!;
      new MutationObserver(() => {
        const length = [...log.querySelectorAll('li[data-role="assistant"] .text')].reduce(
          (sum, node) => sum + (node.textContent ?? '').length,
          0,
        );
        if (length > 0 && length !== lengths.at(-1)) lengths.push(length);
      }).observe(log, { subtree: true, childList: true, characterData: true });
    });
    // Shift+Enter breaks the line, Enter sends.
    await input.press('Shift+Enter');
    await input.pressSequentially('Second line');
    expect(await input.inputValue()).toBe('Hello from the hook\nSecond line');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('');

    const approve = panel.getByRole('button', { name: 'Approve' });
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => panel.getAttribute('data-status')).toBe('awaiting_approval');
    // Words for people, not the hook's status codes.
    expect(await panel.getByRole('status').textContent()).toMatch(/^Waiting for your approval/);
    // The model's markdown is rendered: a heading, a list and a code block, not their source.
    const answer = panel.locator('li[data-role="assistant"]').last();
    expect(await answer.locator('h2').count()).toBeGreaterThan(0);
    expect(await answer.locator('li').count()).toBeGreaterThan(0);
    expect(await answer.locator('pre code').count()).toBeGreaterThan(0);
    expect(await answer.textContent()).not.toContain('## ');
    // The answer grew over several renders as events arrived.
    const lengths = await page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths);
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    await approve.click();
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 30_000 }).toBe('idle');
    expect(await panel.getByRole('status').textContent()).toMatch(/^Ready/);
    await panel.getByText(/That was the whole tour/).waitFor();

    const sessionId = await page.evaluate(() => localStorage.getItem('agent-chat-example:custom-ui'));
    const done = await history(sessionId);
    expect(done.processing).toBe(false);
    const shown = await panel.locator('li[data-role]').evaluateAll((items) => items.map((li) => li.getAttribute('data-role')));
    expect(shown).toEqual(done.messages.map((m) => m.role));
    expect(pageErrors).toEqual([]);
  });
});
