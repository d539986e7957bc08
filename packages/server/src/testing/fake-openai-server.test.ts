import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completionResponse,
  openAIStreamErrorResponse,
  openAITextResponse,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from './fake-openai-server.js';

let fake: FakeOpenAIServer;
beforeEach(async () => {
  fake = await startFakeOpenAIServer();
});
afterEach(() => fake.close());

function post(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body. */
async function dataLines(response: Response): Promise<string[]> {
  return (await response.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

describe('startFakeOpenAIServer', () => {
  it('streams chat.completion.chunk lines, tool call arguments by index, the usage chunk only when asked, then [DONE]', async () => {
    const completion = {
      text: ['Hi'],
      toolCalls: [
        { id: 'call_1', name: 'a', argumentChunks: ['{"x"', ':1}'] },
        { id: 'call_2', name: 'b', argumentChunks: ['{}'] },
      ],
      usage: { prompt_tokens: 7, completion_tokens: 3, cached_tokens: 2 },
    };
    fake.enqueue(completionResponse(completion), completionResponse(completion));

    const withUsage = await dataLines(await post({ stream: true, stream_options: { include_usage: true } }));
    const without = await dataLines(await post({ stream: true }));

    expect(withUsage.at(-1)).toBe('[DONE]');
    const chunks = withUsage.slice(0, -1).map((line) => JSON.parse(line));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.flatMap((c) => c.choices.flatMap((ch: any) => ch.delta.tool_calls ?? []))).toEqual([
      { index: 0, id: 'call_1', type: 'function', function: { name: 'a', arguments: '' } },
      { index: 0, function: { arguments: '{"x"' } },
      { index: 0, function: { arguments: ':1}' } },
      { index: 1, id: 'call_2', type: 'function', function: { name: 'b', arguments: '' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 } } });
    expect(without).toHaveLength(withUsage.length - 1);
    expect(without.some((line) => line.includes('"usage"'))).toBe(false);
  });

  it('answers a request without stream as the chat.completion the chunks add up to', async () => {
    fake.enqueue(completionResponse({ reasoning: ['Hm.'], text: ['Hel', 'lo'], toolCalls: [{ id: 'c', name: 't', argumentChunks: ['{"a"', ':2}'] }] }));

    const body = (await (await post({})).json()) as Record<string, any>;

    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'Hello',
            reasoning_content: 'Hm.',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 't', arguments: '{"a":2}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    });
  });

  it('sends HTTP errors with the API error body and headers, an error chunk mid-stream, and says when it runs out', async () => {
    fake.enqueue(
      { kind: 'error', status: 429, errorType: 'rate_limit_exceeded', message: 'Slow down', headers: { 'retry-after': '2' } },
      openAIStreamErrorResponse({ text: ['a', 'b'] }, 2),
      { ...openAITextResponse(['x']), match: (request) => request.body.model === 'm2' },
    );

    const limited = await post({ stream: true });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toEqual({ error: { message: 'Slow down', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' } });

    const broken = await dataLines(await post({ stream: true }));
    expect(broken).toHaveLength(3);
    expect(JSON.parse(broken.at(-1)!)).toEqual({ error: { message: expect.any(String), type: 'server_error', code: null, param: null } });

    const unscripted = await post({ stream: true, model: 'm1' });
    expect(unscripted.status).toBe(500);
    expect(fake.pending()).toBe(1);
    expect((await post({ stream: true, model: 'm2' })).status).toBe(200);
    expect(fake.requests.map((r) => r.body.model)).toEqual([undefined, undefined, 'm1', 'm2']);
    expect((await (await fetch(`${fake.url}/models`)).json()) as object).toMatchObject({ data: [{ id: 'fake-model' }] });
  });
});
