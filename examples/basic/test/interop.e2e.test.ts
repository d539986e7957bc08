import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionMessages } from '@agent-chat/core';
import type { UIMessage } from 'ai';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toUIMessages } from '../../../packages/server/src/interop/ai-sdk-ui/ui-messages.js';
import { launchChromium } from '../../../test-support/chromium.js';
import { expectInteropEndpoints } from '../../../test-support/interop-endpoints.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

/** A part as both sides can say it: its kind and content, and for a tool call its id, name and state. */
type PartShape = { type: string; text?: string; toolCallId?: string; toolName?: string; state?: string };

/** The parts a user sees (text, reasoning, tool calls) of each message, in order; user messages without ids (useChat makes its own). */
function shape(messages: UIMessage[]) {
  return messages.map((message) => ({
    role: message.role,
    ...(message.role === 'assistant' ? { id: message.id } : {}),
    parts: message.parts.flatMap((part): PartShape[] => {
      if (part.type === 'text' || part.type === 'reasoning') return [{ type: part.type, text: part.text }];
      if (part.type === 'dynamic-tool') return [{ type: part.type, toolCallId: part.toolCallId, toolName: part.toolName, state: part.state }];
      return [];
    }),
  }));
}

/**
 * examples/basic serves the AI SDK UI message stream at /api/ui-chat: a page
 * on `useChat` from @ai-sdk/react (bundled here with esbuild, served from the
 * example's origin) runs demo turns in Chromium, reloads mid-turn and resumes
 * with `resume: true`, approves one write and denies another; what it shows
 * is the server's conversation, each part exactly once.
 */
describe('examples/basic: the interop endpoints', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;
  let script: string;

  beforeAll(async () => {
    [example, browser, script] = await Promise.all([
      startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '25' }),
      launchChromium(),
      build({
        entryPoints: [fileURLToPath(new URL('./__fixtures__/use-chat-page.tsx', import.meta.url))],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        jsx: 'automatic',
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'error',
      }).then((result) => result.outputFiles[0]!.text),
    ]);
    const agUiScript = (
      await build({
        entryPoints: [fileURLToPath(new URL('./__fixtures__/ag-ui-page.ts', import.meta.url))],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        logLevel: 'error',
      })
    ).outputFiles[0]!.text;
    page = await browser.newPage();
    // The page lives on the example's origin (the endpoint is same-origin only, as the API is).
    await page.route(`${example.url}use-chat/**`, (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname.endsWith('/page.js')) return route.fulfill({ contentType: 'text/javascript', body: script });
      if (pathname.endsWith('/ag-ui.js')) return route.fulfill({ contentType: 'text/javascript', body: agUiScript });
      if (pathname.endsWith('/ag-ui.html')) {
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>AG-UI</title><script type="module" src="ag-ui.js"></script>' });
      }
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>useChat</title><div id="root"></div><script type="module" src="page.js"></script>',
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  it('answers at /api/ag-ui and /api/ui-chat under the API\'s policy', async () => {
    await expectInteropEndpoints(new URL('api', example.url).href);
  });

  it('@ag-ui/client\'s HttpAgent in Chromium: a demo turn, its approval answered through resume[] with an edited argument, the history after a reload', async () => {
    const threadId = randomUUID();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${example.url}use-chat/ag-ui.html?thread=${threadId}`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');

    const first = await page.evaluate(() => window.agUi!.run('What is 6 * 7?'));
    expect(first.failure).toBeUndefined();
    expect(first.types[0]).toBe('RUN_STARTED');
    expect(first.types).toEqual(expect.arrayContaining(['REASONING_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TOOL_CALL_RESULT', 'SUBAGENT_STARTED']));
    expect(first.outcome).toBe('interrupt');
    const interrupts = await page.evaluate(() => window.agUi!.agent.pendingInterrupts);
    expect(interrupts).toMatchObject([{ reason: 'tool_approval' }]);

    const second = await page.evaluate(
      (id) => window.agUi!.run(undefined, { resume: [{ interruptId: id, status: 'resolved', payload: { approved: true, input: { path: 'notes/from-ag-ui.md', content: 'edited in the browser' } } }] }),
      interrupts[0]!.id,
    );
    expect(second.failure).toBeUndefined();
    expect(second.outcome).toBe('success');
    expect(await readFile(join(example.sandboxDir, 'notes', 'from-ag-ui.md'), 'utf8')).toBe('edited in the browser');
    const messages = await page.evaluate(() => window.agUi!.agent.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' })));
    expect(messages.at(-1)!.content).toContain('(with your edits)');

    // A reload: a new HttpAgent on the same thread, with nothing new to say, gets the conversation.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const snapshot = await page.evaluate(() => window.agUi!.run());
    expect(snapshot.failure).toBeUndefined();
    expect(snapshot.types).toContain('MESSAGES_SNAPSHOT');
    const reloaded = await page.evaluate(() => window.agUi!.agent.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' })));
    // The same messages; the research sub-agents' activity messages sit where HttpAgent put them live (after
    // their last update) in one and after the research tool's result in the snapshot: compared apart.
    const talk = (list: typeof messages) => list.filter((m) => m.role !== 'activity');
    expect(talk(reloaded)).toEqual(talk(messages));
    expect(reloaded.filter((m) => m.role === 'activity')).toHaveLength(messages.filter((m) => m.role === 'activity').length);
    expect(errors).toEqual([]);
  });

  it('useChat in Chromium: a turn streams, a reload mid-turn resumes it, one write approved and one denied, a stop stops the server\'s turn, each part once', async () => {
    const chatId = `chat-${randomUUID().slice(0, 8)}`;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const history = async () => (await (await fetch(`${example.url}api/session/${chatId}/messages`)).json()) as SessionMessages;
    const state = () => page.evaluate(() => ({ status: window.chat?.status, error: window.chat?.error, messages: window.chat?.messages ?? [] }));
    const lastAssistant = async () => (await state()).messages.filter((m) => m.role === 'assistant').at(-1);
    const lastTexts = async () => ((await lastAssistant())?.parts ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
    const toolState = async (name: string) =>
      ((await lastAssistant())?.parts ?? []).flatMap((p) => (p.type === 'dynamic-tool' && p.toolName === name ? [p.state] : []));

    await page.goto(`${example.url}use-chat/index.html?chat=${chatId}`);
    await expect.poll(() => page.evaluate(() => window.chat?.status)).toBe('ready');
    await page.evaluate(() => window.chat!.send('What is 6 * 7?'));

    // Tokens arrive progressively.
    const lengths: number[] = [];
    while (lengths.length < 3) {
      const length = (await lastTexts()).length;
      if (length > 0 && length !== lengths.at(-1)) lengths.push(length);
      await page.waitForTimeout(30);
    }
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));

    // Reload mid-turn: the page loads the history, and useChat's resume replays the running turn.
    const beforeReload = await history();
    expect(beforeReload.processing).toBe(true);
    expect(beforeReload.pendingApprovals).toEqual([]);
    const resumes: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith(`/api/ui-chat/${chatId}/stream`)) resumes.push(response.status());
    });
    await page.reload();
    await expect.poll(() => toolState('write_file'), { timeout: 30_000 }).toEqual(['approval-requested']);
    // The reloaded page read the rest of the turn from the resume stream (200), not from a finished history.
    expect(resumes).toEqual([200]);
    await expect.poll(async () => (await state()).status).toBe('ready');
    const atApproval = await history();
    expect(atApproval.pendingApprovals.map((p) => p.name)).toEqual(['write_file']);
    expect(shape((await state()).messages)).toEqual(shape(toUIMessages(atApproval.messages)));

    // Approve in the page: useChat sends the answer by itself and the turn goes on.
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => toolState('write_file'), { timeout: 30_000 }).toEqual(['output-available']);
    await expect.poll(async () => (await state()).status, { timeout: 30_000 }).toBe('ready');
    await expect.poll(lastTexts).toContain('You approved the write');
    expect(await readFile(join(example.sandboxDir, 'notes', 'agent-chat-demo.md'), 'utf8')).toContain('6 * 7 = 42');

    // A second turn, and this write denied.
    await page.evaluate(() => window.chat!.send('Write it again'));
    await expect.poll(() => toolState('write_file'), { timeout: 30_000 }).toEqual(['approval-requested']);
    await page.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => toolState('write_file'), { timeout: 30_000 }).toEqual(['output-denied']);
    await expect.poll(async () => (await state()).status, { timeout: 30_000 }).toBe('ready');
    await expect.poll(lastTexts).toContain('You rejected the write');

    // A third turn, stopped from the page: the server's turn stops too.
    await page.evaluate(() => window.chat!.send('Start and stop'));
    await expect.poll(async () => (await lastTexts()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.evaluate(() => window.chat!.stop());
    await expect.poll(async () => (await history()).processing, { timeout: 10_000 }).toBe(false);
    await expect.poll(async () => (await state()).status).toBe('ready');
    const stoppedAt = (await history()).messages.at(-1)!;
    await page.waitForTimeout(300);
    expect((await history()).messages.at(-1)).toEqual(stoppedAt);

    // The page shows the server's conversation, each part exactly once, and so does a reload.
    const done = await history();
    expect(done.processing).toBe(false);
    expect(done.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    const shown = shape((await state()).messages);
    expect(shown).toEqual(shape(toUIMessages(done.messages)));
    const toolIds = shown.flatMap((m) => m.parts.flatMap((p) => (p.toolCallId ? [p.toolCallId] : [])));
    expect(new Set(toolIds).size).toBe(toolIds.length);
    expect((await state()).error).toBeUndefined();
    const probe = page.waitForResponse((response) => response.url().endsWith(`/api/ui-chat/${chatId}/stream`));
    await page.reload();
    // Nothing runs: the resume probe is 204, and the page shows the history as loaded.
    expect((await probe).status()).toBe(204);
    await expect.poll(() => page.evaluate(() => window.chat?.status)).toBe('ready');
    expect(shape((await state()).messages)).toEqual(shown);
    expect(errors).toEqual([]);
  });
});
