import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionMessages } from '@agent-chat/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import {
  completionResponse,
  openAITextResponse,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type RecordedOpenAIRequest,
} from '../../../packages/server/src/testing/fake-openai-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/** A scripted model: lists the sandbox, then answers with what it saw; titles and probes get a short text. */
function respond(request: RecordedOpenAIRequest) {
  if (request.body.stream !== true) return openAITextResponse(['Sandbox listing']);
  const messages: { role: string }[] = request.body.messages;
  if (messages.at(-1)?.role === 'tool') {
    return openAITextResponse(['The sandbox ', 'holds a README ', 'and some notes, listed by an OpenAI-compatible model.'], {
      delayMs: 20,
    });
  }
  return completionResponse(
    {
      text: ['Let me ', 'look at the sandbox.'],
      toolCalls: [{ id: 'call_list', name: 'list_files', argumentChunks: ['{"path"', ':"."}'] }],
    },
    { delayMs: 20 },
  );
}

/**
 * `npm start` (scripts/start.mjs: the JavaScript-only build, then examples/basic)
 * with OPENAI_BASE_URL and OPENAI_MODEL pointing at a local fake of the Chat
 * Completions API: the banner names aiSdkAgent and the model, and a turn with a
 * tool call runs in Chromium.
 */
describe('npm start with OPENAI_BASE_URL: aiSdkAgent in Chromium', () => {
  let fake: FakeOpenAIServer;
  let child: ChildProcess;
  let sandboxDir: string;
  let url: string;
  let output = '';
  let browser: Browser;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ respond });
    sandboxDir = await mkdtemp(join(tmpdir(), 'agent-chat-openai-e2e-'));
    await cp(join(exampleDir, 'sandbox'), sandboxDir, { recursive: true });
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        ANTHROPIC_API_KEY: '',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'llama3.2',
        PORT: '0',
        SANDBOX_DIR: sandboxDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not serve the page:\n${output}`)), 55_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    await rm(sandboxDir, { recursive: true, force: true });
  });

  it('says which agent and model it uses, serves the page and runs a turn with a tool call', async () => {
    expect(output).toContain(`agent: aiSdkAgent, model llama3.2 at ${fake.url}`);

    const page = await browser.newPage();
    await page.goto(url);
    const chat = page.locator('agent-chat');
    const input = chat.locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('What is in the sandbox?');
    await input.press('Enter');

    await expect
      .poll(() => chat.locator('.message.assistant .markdown').allInnerTexts().then((t) => t.join(' ')), { timeout: 30_000 })
      .toContain('listed by an OpenAI-compatible model.');
    await expect.poll(() => chat.locator('[part~="send-button"]').count(), { timeout: 30_000 }).toBe(1);
    const states = await chat.locator('[part~="tool-call"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(states).toEqual(['done']);

    const sessionId = await page.evaluate(() => localStorage.getItem('agent-chat:session:/api'));
    const history = (await (await fetch(`${url}api/session/${sessionId}/messages`)).json()) as SessionMessages;
    const call = history.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call');
    expect(call).toMatchObject({ name: 'list_files', state: 'done', input: { path: '.' } });
    // The model got the tool's real output back, through the real ai + @ai-sdk/openai-compatible.
    const turnRequests = fake.requests.filter((r) => r.body.stream === true);
    expect(turnRequests.map((r) => r.body.model)).toEqual(['llama3.2', 'llama3.2']);
    const toolMessage = turnRequests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(JSON.parse(toolMessage.content)).toMatchObject({ path: '.', entries: expect.any(Array) });
    await page.close();
  });
});
