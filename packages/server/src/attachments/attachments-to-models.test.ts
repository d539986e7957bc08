import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { Attachment, ErrorBody } from '@agent-chat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { readEvents, startTestServer, type TestServer } from '../__fixtures__/harness.js';
import type { Agent } from '../agents/agent.js';
import { aiSdkAgent } from '../agents/ai-sdk/index.js';
import { anthropicAgent } from '../agents/anthropic/index.js';
import { demoAgent } from '../agents/demo/demo-agent.js';
import { startFakeAnthropicServer, textResponse, type FakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { openAITextResponse, startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { PDF, PNG, SVG_WITH_SCRIPT } from './__fixtures__/sample-files.js';

const CSV = new TextEncoder().encode('city,month\nLisbon,May\n');
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(agent: Agent): Promise<TestServer> {
  const s = await startTestServer({ agent, autoTitle: false });
  open.push(s);
  return s;
}

async function session(s: TestServer): Promise<string> {
  return ((await (await fetch(`${s.base}/session`, { method: 'POST' })).json()) as { id: string }).id;
}

async function upload(s: TestServer, sessionId: string, bytes: Uint8Array, name: string, type: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return fetch(`${s.base}/session/${sessionId}/attachments`, { method: 'POST', body: form });
}

async function uploaded(s: TestServer, sessionId: string, bytes: Uint8Array, name: string, type: string): Promise<Attachment> {
  const response = await upload(s, sessionId, bytes, name, type);
  expect(response.status).toBe(201);
  return (await response.json()) as Attachment;
}

function chat(s: TestServer, sessionId: string, body: unknown): Promise<Response> {
  return fetch(`${s.base}/chat/${sessionId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('files to the Claude agent (the real @anthropic-ai/sdk against the local Messages server)', () => {
  let fake: FakeAnthropicServer;
  afterEach(() => fake?.close());

  it('sends images as image blocks, PDFs as document blocks and text files inline, before the text; again in the next turn', async () => {
    fake = await startFakeAnthropicServer();
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
    const s = await serve(anthropicAgent({ client, model: 'claude-haiku-4-5' }));
    const id = await session(s);
    const png = await uploaded(s, id, PNG, 'pixel.png', 'image/png');
    const pdf = await uploaded(s, id, PDF, 'paper.pdf', 'application/pdf');
    const csv = await uploaded(s, id, CSV, 'trip.csv', 'text/csv');

    fake.enqueue(textResponse(['A red pixel, a paper and a trip.']));
    const events = await readEvents(await chat(s, id, { text: 'What are these?', attachments: [png.id, pdf.id, csv.id] }));
    expect(events.at(-1)!.event.type).toBe('turn_complete');
    const [first] = fake.requests;
    expect(first!.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: base64(PNG) } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64(PDF) }, title: 'paper.pdf' },
          { type: 'text', text: '<file name="trip.csv" type="text/csv">\ncity,month\nLisbon,May\n\n</file>' },
          { type: 'text', text: 'What are these?' },
        ],
      },
    ]);

    // The next turn sends the history with its files again (the model keeps no state).
    fake.enqueue(textResponse(['Lisbon.']));
    await readEvents(await chat(s, id, { text: 'Which city?' }));
    const second = fake.requests[1]!.body.messages as { role: string; content: { type: string }[] }[];
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[0]!.content.map((block) => block.type)).toEqual(['image', 'document', 'text', 'text']);
  });

  it('takes only the types it reads: an SVG is kept as plain text, and the model reads its source', async () => {
    fake = await startFakeAnthropicServer();
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
    const s = await serve(anthropicAgent({ client, model: 'claude-haiku-4-5' }));
    const id = await session(s);
    const health = (await (await fetch(`${s.base}/health`)).json()) as { attachmentLimits: { mediaTypes: string[] } };
    expect(health.attachmentLimits.mediaTypes).not.toContain('image/svg+xml');
    const svg = await uploaded(s, id, SVG_WITH_SCRIPT, 'logo.svg', 'image/svg+xml');
    expect(svg.mediaType).toBe('text/plain');
    fake.enqueue(textResponse(['An SVG with a script.']));
    await readEvents(await chat(s, id, { text: 'What is it?', attachments: [svg.id] }));
    const [message] = fake.requests[0]!.body.messages as { content: { type: string; text?: string }[] }[];
    expect(message!.content[0]).toEqual({ type: 'text', text: expect.stringMatching(/^<file name="logo.svg" type="text\/plain">\n<\?xml/) });
  });
});

describe('files to the AI SDK agent (against the local OpenAI-compatible server)', () => {
  let fake: FakeOpenAIServer;
  afterEach(() => fake?.close());

  it('sends images and PDFs as file parts (image_url, file) and text inline', async () => {
    fake = await startFakeOpenAIServer();
    const provider = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test-key', includeUsage: true });
    const s = await serve(aiSdkAgent({ model: provider('gpt-4o-mini'), retry: { maxAttempts: 1 } }));
    const id = await session(s);
    const png = await uploaded(s, id, PNG, 'pixel.png', 'image/png');
    const pdf = await uploaded(s, id, PDF, 'paper.pdf', 'application/pdf');
    const csv = await uploaded(s, id, CSV, 'trip.csv', 'text/csv');
    fake.enqueue(openAITextResponse(['Seen.']));
    const events = await readEvents(await chat(s, id, { text: '', attachments: [png.id, pdf.id, csv.id] }));
    expect(events.at(-1)!.event.type).toBe('turn_complete');
    const messages = fake.requests[0]!.body.messages as { role: string; content: unknown }[];
    expect(messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: `data:image/png;base64,${base64(PNG)}` } },
        { type: 'file', file: { filename: 'paper.pdf', file_data: `data:application/pdf;base64,${base64(PDF)}` } },
        { type: 'text', text: '<file name="trip.csv" type="text/csv">\ncity,month\nLisbon,May\n\n</file>' },
      ],
    });
  });

  it('a model without vision (attachmentTypes) refuses images at upload', async () => {
    fake = await startFakeOpenAIServer();
    const provider = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test-key' });
    const s = await serve(aiSdkAgent({ model: provider('llama3.2'), attachmentTypes: ['text/plain', 'text/csv'] }));
    const id = await session(s);
    expect((await upload(s, id, PNG, 'pixel.png', 'image/png')).status).toBe(415);
    expect((await upload(s, id, CSV, 'trip.csv', 'text/csv')).status).toBe(201);
  });
});

describe('a file the session\'s model cannot read', () => {
  it('is refused with 422 unsupported_attachment before the turn starts: nothing is appended', async () => {
    const demo = demoAgent({ sandboxDir: (await import('node:os')).tmpdir() + '/agent-chat-attachments-demo', chunkDelayMs: 0 });
    const agent: Agent = {
      ...demo,
      models: [
        { id: 'vision', label: 'Sees images' },
        { id: 'text-only', label: 'Reads text only' },
      ],
      attachments: { mediaTypes: ['image/png', 'text/csv'], supports: (type, model) => model !== 'text-only' || !type.startsWith('image/') },
    };
    const s = await serve(agent);
    const id = await session(s);
    const png = await uploaded(s, id, PNG, 'pixel.png', 'image/png');
    expect((await fetch(`${s.base}/session/${id}/model`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'text-only' }) })).status).toBe(200);
    const refused = await chat(s, id, { text: 'Look', attachments: [png.id] });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.code).toBe('unsupported_attachment');
    expect(body.error.message).toContain('text-only');
    const messages = (await (await fetch(`${s.base}/session/${id}/messages`)).json()) as { messages: unknown[]; lastEventId: number };
    expect(messages.messages).toEqual([]);
    // The same file goes with a model that reads images.
    await fetch(`${s.base}/session/${id}/model`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'vision' }) });
    const events = await readEvents(await chat(s, id, { text: 'Look', attachments: [png.id] }));
    expect(events.at(-1)!.event.type).toBe('turn_complete');
  });
});
