import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeAnthropicServer,
  streamErrorResponse,
  streamResponse,
  textResponse,
  toolUseResponse,
  type FakeAnthropicServer,
} from './fake-anthropic-server.js';

describe('fake Anthropic Messages API', () => {
  let fake: FakeAnthropicServer;
  let client: Anthropic;

  beforeEach(async () => {
    fake = await startFakeAnthropicServer();
    client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
  });
  afterEach(() => fake.close());

  it('streams a scripted message that the real SDK accumulates exactly', async () => {
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'thinking', chunks: ['Let me ', 'think.'], signature: 'sig-1' },
          { type: 'text', chunks: ['Hel', 'lo'] },
          { type: 'tool_use', id: 'toolu_1', name: 'add', jsonChunks: ['{"a":', ' 1, "b"', ': 2}'] },
        ],
        usage: { input_tokens: 42, output_tokens: 7, cache_read_input_tokens: 3 },
      }),
    );
    const message = await client.messages
      .stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toMatchObject([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'text', text: 'Hello' },
      { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 1, b: 2 } },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 42, output_tokens: 7, cache_read_input_tokens: 3 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      body: { model: 'claude-haiku-4-5', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    });
    const { authorization, 'x-api-key': apiKey } = fake.requests[0]!.headers;
    expect([authorization, apiKey]).toContain(authorization === undefined ? 'test-key' : 'Bearer test-key');
  });

  it('answers scripted HTTP errors with the API error body', async () => {
    fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect(String((error as Error).message)).toContain('Overloaded');
  });

  it('fails loudly when a request has no scripted answer', async () => {
    const error = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('no scripted response');
  });
  it('answers a request without stream: true with the JSON message the scripted events add up to', async () => {
    fake.enqueue(toolUseResponse([{ id: 'toolu_1', name: 'add', input: { a: 1 } }], { text: 'Adding.', usage: { input_tokens: 9, output_tokens: 4 } }));
    const message = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(message).toMatchObject({
      type: 'message',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Adding.' },
        { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 1 } },
      ],
      usage: { input_tokens: 9, output_tokens: 4 },
    });
  });

  it('serves each request the first queued answer whose match accepts it', async () => {
    fake.enqueue(
      { ...textResponse(['for B']), match: (r) => r.body.messages[0].content === 'B' },
      { ...textResponse(['for A']), match: (r) => r.body.messages[0].content === 'A' },
    );
    const ask = async (content: string) =>
      (await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content }] })).content[0];
    expect(await ask('A')).toMatchObject({ text: 'for A' });
    expect(await ask('B')).toMatchObject({ text: 'for B' });
    expect(fake.pending()).toBe(0);
  });

  it('sends scripted headers, an error event inside a stream, and drops connections on request', async () => {
    fake.enqueue({ kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Slow', headers: { 'retry-after': '7' } });
    const limited = (await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('7');

    fake.enqueue(streamErrorResponse({ blocks: [{ type: 'text', chunks: ['a'] }] }, 1, { type: 'api_error', message: 'Boom' }));
    const stream = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const broken = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['message_start']);
    expect(broken).toBeInstanceOf(Anthropic.APIError);
    expect((broken as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'api_error', message: 'Boom' } });

    fake.enqueue({ kind: 'disconnect' });
    const dropped = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(dropped).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('asks respond() when no queued answer takes a request', async () => {
    const scripted = await startFakeAnthropicServer({ respond: (r) => textResponse([`echo ${r.body.messages[0].content}`]) });
    try {
      const c = new Anthropic({ baseURL: scripted.url, apiKey: 'k', maxRetries: 0 });
      const message = await c.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content[0]).toMatchObject({ text: 'echo hi' });
    } finally {
      await scripted.close();
    }
  });
});
