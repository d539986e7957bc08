import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionMessages } from '@agent-chat/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

/**
 * The main job, end to end: `examples/basic` as a real process, the page in
 * Debian's Chromium. Send, watch tokens arrive, reload mid-stream, approve the
 * write, and check that what the page shows matches the server's history
 * exactly once.
 */
describe('examples/basic in Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '25' });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  const chat = () => page.locator('agent-chat');
  const markdownText = () =>
    page.evaluate(() => {
      const root = document.querySelector('agent-chat')!.shadowRoot!;
      return [...root.querySelectorAll('.message.assistant .markdown')].map((n) => n.textContent ?? '').join('');
    });
  const sessionId = () => page.evaluate(() => localStorage.getItem('agent-chat:session:/api'));
  const history = async (): Promise<SessionMessages> => {
    const response = await fetch(`${example.url}api/session/${await sessionId()}/messages`);
    return (await response.json()) as SessionMessages;
  };

  it('streams a demo turn, survives a reload mid-stream, and completes after approval', async () => {
    await page.goto(example.url);
    const input = chat().locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);

    await input.fill('What is 12 * 7?');
    await input.press('Enter');
    await expect.poll(() => chat().locator('.message.user').count()).toBe(1);

    // Tokens arrive progressively: the rendered text grows over several observations.
    const lengths: number[] = [];
    while (lengths.length < 4) {
      const length = (await markdownText()).length;
      if (length > 0 && length !== lengths.at(-1)) lengths.push(length);
      await page.waitForTimeout(40);
    }
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));

    // Reload while the turn streams: the page picks the turn up where it was.
    const beforeReload = await history();
    expect(beforeReload.processing).toBe(true);
    expect(beforeReload.pendingApprovals).toEqual([]);
    await page.reload();

    const approve = chat().locator('button[data-approve]');
    await approve.waitFor({ state: 'visible', timeout: 30_000 });

    // Everything shown exactly once, and exactly what the server holds.
    const atApproval = await history();
    expect(atApproval.pendingApprovals.map((p) => p.name)).toEqual(['write_file']);
    await expectPageToMatch(atApproval);

    await approve.click();
    await expect
      .poll(() => chat().locator('[part~="send-button"]').count(), { timeout: 30_000 })
      .toBe(1);

    const done = await history();
    expect(done.processing).toBe(false);
    await expectPageToMatch(done);
    const written = await readFile(join(example.sandboxDir, 'notes', 'agent-chat-demo.md'), 'utf8');
    expect(written).toContain('84');
  });

  async function expectPageToMatch(server: SessionMessages) {
    expect(await chat().locator('.message.user').count()).toBe(server.messages.filter((m) => m.role === 'user').length);
    expect(await chat().locator('.message.assistant').count()).toBe(
      server.messages.filter((m) => m.role === 'assistant').length,
    );
    const toolCalls = server.messages.flatMap((m) => m.parts.filter((p) => p.type === 'tool_call'));
    expect(await chat().locator('[part~="tool-call"]').allInnerTexts()).toHaveLength(toolCalls.length);
    const states = await chat()
      .locator('[part~="tool-call"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(states).toEqual(toolCalls.map((p) => p.state));

    // Each plain sentence of the streamed answer appears exactly as often on the page as in the history.
    const pageText = normalize(await markdownText());
    const serverMarkdown = server.messages
      .flatMap((m) => m.parts)
      .map((p) => (p.type === 'text' ? p.text : ''))
      .join('\n');
    const serverText = normalize(serverMarkdown);
    const sentences = serverMarkdown
      .split('\n')
      .map((line) => line.replace(/^(#+|[-*>]|\d+\.)\s+/, ''))
      .flatMap((line) => line.split(/(?<=[.!?:])\s/))
      .map((sentence) => normalize(sentence).trim())
      .filter((sentence) => /^[\p{L}\p{N} ,.'’;:!?()-]{24,}$/u.test(sentence));
    expect(sentences.length).toBeGreaterThan(2);
    for (const sentence of sentences) {
      expect(count(pageText, sentence), sentence).toBe(count(serverText, sentence));
    }
  }
});

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
