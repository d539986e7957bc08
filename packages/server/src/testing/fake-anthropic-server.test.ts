import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer, streamResponse, type FakeAnthropicServer } from './fake-anthropic-server.js';

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
});
