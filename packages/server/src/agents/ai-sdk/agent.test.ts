import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { decodeEventStream, type AgentEvent, type ApprovalDecision, type ChatMessage, type PendingApproval, type UsageTotals } from '@agent-chat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentContext, AgentOutput } from '../agent.js';
import { createNodeListener } from '../../adapters/node.js';
import { createChatServer, type ChatServer } from '../../http/chat-server.js';
import { defineTool } from '../tool.js';
import {
  completionResponse,
  openAIStreamErrorResponse,
  openAITextResponse,
  openAIToolCallResponse,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type RecordedOpenAIRequest,
} from '../../testing/fake-openai-server.js';
import { AiSdkAgentError, aiSdkAgent, aiSdkResearchTool, toModelMessages, type AiSdkAgentOptions } from './index.js';

let fake: FakeOpenAIServer;
let provider: ReturnType<typeof createOpenAICompatible>;
/** Retries without real waits, so tests stay fast and independent of timing. */
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 1000 };

beforeEach(async () => {
  fake = await startFakeOpenAIServer();
  provider = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test-key', includeUsage: true });
});
afterEach(() => fake.close());

function harness(
  overrides: Partial<Omit<AgentContext, 'requestApproval'>> & { decide?: (tools: PendingApproval[]) => ApprovalDecision[] } = {},
) {
  const controller = new AbortController();
  const approvalRequests: PendingApproval[][] = [];
  const { decide, ...rest } = overrides;
  const ctx: AgentContext = {
    sessionId: 'session-1',
    turnId: 'turn-1',
    messageId: 'msg-1',
    history: [],
    input: { text: 'Hello?' },
    model: undefined,
    usage: undefined,
    signal: controller.signal,
    requestApproval: async (tools) => {
      approvalRequests.push(tools);
      if (!decide) throw new Error('unexpected approval request');
      return decide(tools);
    },
    ...rest,
  };
  return { ctx, controller, approvalRequests };
}

function agentWith(options: Partial<AiSdkAgentOptions> = {}) {
  return aiSdkAgent({ model: provider('gpt-4o-mini'), retry: FAST_RETRY, ...options });
}

async function collect(options: Partial<AiSdkAgentOptions>, ctx: AgentContext): Promise<AgentOutput[]> {
  const events: AgentOutput[] = [];
  for await (const event of agentWith(options).run(ctx)) events.push(event);
  return events;
}

function ofType(events: readonly { type: string }[], type: string): Record<string, any>[] {
  return events.filter((e) => e.type === type) as Record<string, any>[];
}

const addTool = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});

function recordingWriteTool(calls: unknown[]) {
  return defineTool({
    name: 'write_file',
    description: 'Writes a file.',
    input: z.object({ path: z.string(), content: z.string() }),
    needsApproval: true,
    execute: (input) => {
      calls.push(input);
      return `wrote ${input.content.length} bytes to ${input.path}`;
    },
  });
}

function failAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

describe('aiSdkAgent on @ai-sdk/openai-compatible against a fake Chat Completions server', () => {
  it('streams text in order, then assistant_stream_end, usage with cost and turn_complete', async () => {
    fake.enqueue(openAITextResponse(['Hel', 'lo ', 'world'], { model: 'gpt-4o-mini-2024-07-18', usage: { prompt_tokens: 1500, completion_tokens: 200, cached_tokens: 500 } }));
    const prior: UsageTotals = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 };

    const events = await collect({ system: 'Be brief.' }, harness({ usage: prior }).ctx);

    expect(events.map((e) => e.type)).toEqual([
      'assistant_chunk',
      'assistant_chunk',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(ofType(events, 'assistant_chunk').map((e) => [e.messageId, e.delta])).toEqual([
      ['msg-1', 'Hel'],
      ['msg-1', 'lo '],
      ['msg-1', 'world'],
    ]);
    // gpt-4o-mini: $0.15 in, $0.60 out, $0.075 cached per million tokens; the cached 500 are not input again.
    const cost = (1000 * 0.15 + 200 * 0.6 + 500 * 0.075) / 1e6;
    const [step, turn] = ofType(events, 'usage');
    expect(step).toMatchObject({
      scope: 'step',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 500, cacheWriteTokens: 0 },
      cumulative: { inputTokens: 1010, outputTokens: 205, cacheReadTokens: 500 },
    });
    expect(step!.usage.costUsd).toBeCloseTo(cost, 12);
    expect(step!.cumulative.costUsd).toBeCloseTo(0.5 + cost, 12);
    expect(turn).toMatchObject({ scope: 'turn', usage: step!.usage, cumulative: step!.cumulative });
    expect(events.at(-1)).toEqual({ type: 'turn_complete', turnId: 'turn-1', stopReason: 'end_turn' });

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
    });
    expect(fake.requests[0]!.body.tools).toBeUndefined();
  });

  it('prices an unknown (e.g. local) model at 0 and says the usage anyway', async () => {
    fake.enqueue(openAITextResponse(['Hi'], { model: 'llama3.2', usage: { prompt_tokens: 100, completion_tokens: 3 } }));

    const events = await collect({ model: provider('llama3.2') }, harness().ctx);

    expect(ofType(events, 'usage')[0]).toMatchObject({ model: 'llama3.2', usage: { inputTokens: 100, outputTokens: 3, costUsd: 0 } });
  });

  it('streams reasoning_content as thinking, ended before the text', async () => {
    fake.enqueue(completionResponse({ reasoning: ['Let me ', 'think.'], text: ['Answer.'] }));

    const events = await collect({}, harness().ctx);

    expect(events.map((e) => e.type)).toEqual([
      'thinking_chunk',
      'thinking_chunk',
      'thinking_end',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(ofType(events, 'thinking_chunk').map((e) => e.delta)).toEqual(['Let me ', 'think.']);
  });

  it('assembles two parallel tool calls from argument pieces, runs them at once and sends the results back in call order', async () => {
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const slowAdd = defineTool({
      ...addTool,
      execute: async ({ a, b }: { a: number; b: number }) => {
        if (++started === 2) release();
        await Promise.race([bothStarted, failAfter(5000, 'the tools ran one after the other')]);
        // The first call finishes last: results must still go back in call order.
        await new Promise((resolve) => setTimeout(resolve, a === 1 ? 30 : 0));
        return { sum: a + b };
      },
    });
    fake.enqueue(
      completionResponse({
        text: ['Adding twice.'],
        toolCalls: [
          { id: 'call_1', name: 'add', argumentChunks: ['{"a":1,', '"b":2}'] },
          { id: 'call_2', name: 'add', argumentChunks: ['{"a":', '3,"b"', ':4}'] },
        ],
      }),
      openAITextResponse(['3 and 7.']),
    );

    const events = await collect({ tools: [slowAdd] }, harness().ctx);

    expect(events.map((e) => e.type)).toEqual([
      'assistant_chunk',
      'assistant_stream_end',
      'tool_call',
      'tool_call',
      'usage',
      'tool_output',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(ofType(events, 'tool_call').map((e) => [e.toolCallId, e.name, e.input])).toEqual([
      ['call_1', 'add', { a: 1, b: 2 }],
      ['call_2', 'add', { a: 3, b: 4 }],
    ]);
    // Outputs stream as they finish: the second call first.
    expect(ofType(events, 'tool_output').map((e) => [e.toolCallId, e.output])).toEqual([
      ['call_2', { sum: 7 }],
      ['call_1', { sum: 3 }],
    ]);
    const second = fake.requests[1]!.body;
    expect(second.tools).toEqual([
      {
        type: 'function',
        function: expect.objectContaining({ name: 'add', description: 'Adds two numbers.', parameters: expect.objectContaining({ type: 'object' }) }),
      },
    ]);
    expect(second.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Adding twice.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } },
          { id: 'call_2', type: 'function', function: { name: 'add', arguments: '{"a":3,"b":4}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"sum":3}' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"sum":7}' },
    ]);
  });

  it('answers unknown tools, unreadable JSON and invalid input with error results, without running anything', async () => {
    fake.enqueue(
      completionResponse({
        toolCalls: [
          { id: 'call_u', name: 'nope', argumentChunks: ['{}'] },
          { id: 'call_j', name: 'add', argumentChunks: ['{"a":1,'] },
          { id: 'call_i', name: 'add', argumentChunks: ['{"a":"one","b":2}'] },
        ],
      }),
      openAITextResponse(['Sorry.']),
    );

    const events = await collect({ tools: [addTool] }, harness().ctx);

    const outputs = new Map(ofType(events, 'tool_output').map((e) => [e.toolCallId, e]));
    expect(outputs.get('call_u')).toMatchObject({ isError: true, output: expect.stringContaining('Unknown tool "nope". Available tools: add') });
    expect(outputs.get('call_j')).toMatchObject({ isError: true, output: expect.stringContaining('could not be read') });
    expect(outputs.get('call_i')).toMatchObject({ isError: true, output: expect.stringContaining('Invalid input for add: a:') });
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });
  });

  it('runs an approved call with the edited input, and the next request shows that input', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      openAIToolCallResponse([{ id: 'call_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' } }]),
      openAITextResponse(['Saved.']),
    );
    const { ctx, approvalRequests } = harness({
      decide: ([tool]) => [{ toolCallId: tool!.toolCallId, decision: 'approve', input: { path: 'a.txt', content: 'edited' } }],
    });

    const events = await collect({ tools: [recordingWriteTool(calls)] }, ctx);

    expect(approvalRequests).toEqual([
      [expect.objectContaining({ toolCallId: 'call_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' }, inputSchema: expect.any(Object) })],
    ]);
    expect(calls).toEqual([{ path: 'a.txt', content: 'edited' }]);
    expect(events.map((e) => e.type)).toContain('tool_state_change');
    expect(fake.requests[1]!.body.messages[1].tool_calls[0].function.arguments).toBe('{"path":"a.txt","content":"edited"}');
  });

  it('sends a rejected call back as an error result with the feedback, without running it', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      openAIToolCallResponse([{ id: 'call_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' } }]),
      openAITextResponse(['Understood.']),
    );
    const { ctx } = harness({ decide: ([tool]) => [{ toolCallId: tool!.toolCallId, decision: 'reject', feedback: ' Use b.txt ' }] });

    const events = await collect({ tools: [recordingWriteTool(calls)] }, ctx);

    expect(calls).toEqual([]);
    expect(ofType(events, 'tool_output')).toEqual([]);
    expect(fake.requests[1]!.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_w',
      content: 'The user rejected this tool call. Feedback: Use b.txt',
    });
  });

  it('ends promptly and quietly when interrupted mid-stream, and closes the request', async () => {
    fake.enqueue({ ...openAITextResponse(['Hel', 'lo']), hangAfter: 2 });
    const { ctx, controller } = harness();
    const agent = agentWith();
    const events: AgentOutput[] = [];
    for await (const event of agent.run(ctx)) {
      events.push(event);
      if (event.type === 'assistant_chunk') controller.abort();
    }

    expect(events.map((e) => e.type)).toEqual(['assistant_chunk']);
    await fake.requests[0]!.closed;
  });

  it('retries a 429 honouring retry-after, then streams the answer once', async () => {
    fake.enqueue(
      { kind: 'error', status: 429, errorType: 'rate_limit_exceeded', message: 'Slow down', headers: { 'retry-after': '0.05' } },
      { kind: 'error', status: 500, errorType: 'server_error', message: 'Oops' },
      openAITextResponse(['Made it.']),
    );
    const retries: { attempt: number; delayMs: number; code: string }[] = [];

    const events = await collect(
      { onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, code: error.code }) },
      harness().ctx,
    );

    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Made it.']);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 50, code: 'rate_limited' },
      { attempt: 2, delayMs: expect.any(Number), code: 'provider_error' },
    ]);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with a retryable rate_limited error, and does not retry a 400', async () => {
    fake.enqueue(
      { kind: 'error', status: 429, errorType: 'rate_limit_exceeded', message: 'Slow down' },
      { kind: 'error', status: 429, errorType: 'rate_limit_exceeded', message: 'Slow down' },
    );
    const run = collect({ retry: { ...FAST_RETRY, maxAttempts: 2 } }, harness().ctx);
    await expect(run).rejects.toMatchObject({ name: 'AiSdkAgentError', code: 'rate_limited', retryable: true, status: 429 });

    fake.enqueue({ kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'Bad model' });
    const bad = collect({}, harness().ctx);
    await expect(bad).rejects.toMatchObject({ code: 'provider_error', retryable: false, message: expect.stringContaining('Bad model') });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a connection dropped before any answer', async () => {
    fake.enqueue({ kind: 'disconnect' }, openAITextResponse(['Back.']));

    const events = await collect({}, harness().ctx);

    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Back.']);
  });

  it('retries a stream that breaks with an error chunk before anything was shown', async () => {
    fake.enqueue(openAIStreamErrorResponse({ text: ['never shown'] }, 1), openAITextResponse(['Shown once.']));

    const events = await collect({}, harness().ctx);

    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Shown once.']);
    expect(fake.requests).toHaveLength(2);
  });

  it('ends the turn with the error, without retrying, when the stream fails after text was shown', async () => {
    fake.enqueue(openAIStreamErrorResponse({ text: ['The sum ', 'is'] }, 3), openAITextResponse(['never']));

    const events: AgentOutput[] = [];
    const run = (async () => {
      for await (const event of agentWith().run(harness().ctx)) events.push(event);
    })();

    await expect(run).rejects.toBeInstanceOf(AiSdkAgentError);
    await expect(run).rejects.toMatchObject({ code: 'provider_error', retryable: true });
    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['The sum ', 'is']);
    expect(fake.requests).toHaveLength(1);
  });

  it('uses the session model through `provider`, and offers the configured models with the default first', async () => {
    fake.enqueue(openAITextResponse(['ok']));
    const agent = agentWith({
      provider: (id) => provider(id),
      models: [
        { id: 'gpt-4.1', label: 'GPT-4.1' },
        { id: 'gpt-4o-mini', label: 'GPT-4o mini' },
      ],
    });

    expect(agent.models.map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4.1']);
    expect(aiSdkAgent({ model: provider('llama3.2') }).models).toEqual([{ id: 'llama3.2', label: 'llama3.2', provider: 'fake' }]);
    expect(() => aiSdkAgent({ model: provider('llama3.2'), models: [{ id: 'qwen3', label: 'Qwen 3' }] })).toThrow(/no provider to build them/);
    for await (const _ of agent.run(harness({ model: 'gpt-4.1' }).ctx));
    expect(fake.requests[0]!.body.model).toBe('gpt-4.1');
  });
});

describe('aiSdkAgent summarize, title and checkHealth', () => {
  it('summarizes with one call on the session model, titles and probes health, without streaming', async () => {
    fake.enqueue(openAITextResponse(['The user said hi.']), openAITextResponse(['"Greeting the assistant."']), openAITextResponse(['o']));
    const agent = agentWith();
    const history: ChatMessage[] = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi', state: 'done' }] } as ChatMessage];

    const summary = await agent.summarize({ sessionId: 's', messages: history, model: undefined, signal: AbortSignal.timeout(5000) });
    const title = await agent.title('hi there', { signal: AbortSignal.timeout(5000) });
    const health = await agent.checkHealth({ signal: AbortSignal.timeout(5000) });

    expect(summary).toBe('The user said hi.');
    expect(title).toBe('Greeting the assistant');
    expect(health).toMatchObject({ ok: true, model: 'gpt-4o-mini', latencyMs: expect.any(Number) });
    expect(fake.requests.map((r) => [r.body.stream ?? false, r.body.max_tokens])).toEqual([
      [false, 2048],
      [false, 32],
      [false, 1],
    ]);
    expect(fake.requests[0]!.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Summarise') });
    expect(fake.requests[0]!.body.messages[1].content).toContain('User: hi');
  });

  it('reports an unhealthy provider without throwing, and without retrying', async () => {
    fake.enqueue({ kind: 'error', status: 503, errorType: 'server_error', message: 'down' });

    const health = await agentWith().checkHealth({ signal: AbortSignal.timeout(5000) });

    expect(health).toMatchObject({ ok: false, model: 'gpt-4o-mini', error: expect.stringContaining('overloaded') });
    expect(fake.requests).toHaveLength(1);
  });
});

/** A research call with two sub-agents, each calling `lookup` once (both at the same time), then answering. */
function scriptResearch() {
  const inside = new Set<string>();
  let bothInside!: () => void;
  const together = new Promise<void>((resolve) => (bothInside = resolve));
  const lookup = defineTool({
    name: 'lookup',
    description: 'Looks a topic up.',
    input: z.object({ topic: z.string() }),
    execute: async ({ topic }) => {
      inside.add(topic);
      if (inside.size === 2) bothInside();
      await Promise.race([together, failAfter(5000, 'the sub-agents ran one after the other')]);
      return `${topic} facts`;
    },
  });
  const research = aiSdkResearchTool({ model: provider('gpt-4o-mini'), tools: [lookup], retry: FAST_RETRY });
  const subAgent = (topic: string, turns: number) => (request: RecordedOpenAIRequest) =>
    request.body.stream !== true && request.body.messages[1]?.content === `Research ${topic}` && request.body.messages.length === turns;
  const subUsage = { prompt_tokens: 50, completion_tokens: 5 };
  fake.enqueue(
    {
      ...openAIToolCallResponse([
        {
          id: 'call_r',
          name: 'research',
          input: { tasks: [{ label: 'Alpha', instructions: 'Research alpha' }, { label: 'Beta', instructions: 'Research beta' }] },
        },
      ]),
      match: (request) => request.body.stream === true,
    },
    ...(['alpha', 'beta'] as const).flatMap((topic) => [
      { ...openAIToolCallResponse([{ id: `call_${topic}`, name: 'lookup', input: { topic } }], { usage: subUsage }), match: subAgent(topic, 2) },
      { ...openAITextResponse([`${topic} is well documented.`], { usage: { prompt_tokens: 80, completion_tokens: 10 } }), match: subAgent(topic, 4) },
    ]),
    { ...openAITextResponse(['Both researched.']), match: (request) => request.body.stream === true },
  );
  return { research };
}

describe('aiSdkAgent research sub-agents', () => {
  it('runs two sub-agents in parallel, streams their tool_log progress and usage, and returns their summary', async () => {
    const { research } = scriptResearch();

    const events = await collect({ tools: [research] }, harness().ctx);

    const logs = ofType(events, 'tool_log');
    expect(new Set(logs.map((e) => e.agent.agentId))).toEqual(new Set(['call_r:1', 'call_r:2']));
    expect(logs.filter((e) => e.agent.status === 'done').map((e) => e.agent.label).sort()).toEqual(['Alpha', 'Beta']);
    const output = ofType(events, 'tool_output')[0]!;
    expect(output).toMatchObject({ toolCallId: 'call_r', isError: false });
    expect(output.output).toBe('## Alpha\n\nalpha is well documented.\n\n## Beta\n\nbeta is well documented.');
    const turn = ofType(events, 'usage').at(-1)!;
    // Main model: two calls of 10 input tokens; each sub-agent 50 + 80.
    expect(turn).toMatchObject({ scope: 'turn', usage: { inputTokens: 10 + 2 * (50 + 80) + 10, outputTokens: 5 + 2 * (5 + 10) + 5 } });
    // The sub-agents saw their tool's result.
    const followUp = fake.requests.find((r) => r.body.messages.length === 4 && r.body.messages[1]?.content === 'Research alpha');
    expect(followUp!.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_alpha', content: 'alpha facts' });
  });
});

describe('toModelMessages', () => {
  it('converts the view model into messages where every tool call has its result, and leaves unsettled calls out', () => {
    const history = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Write it.' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'thinking', text: 'Hmm.' },
          { type: 'text', text: 'Writing.' },
          { type: 'tool_call', toolCallId: 't1', name: 'write_file', input: { path: 'a' }, state: 'rejected', feedback: 'no' },
          { type: 'tool_call', toolCallId: 't2', name: 'add', input: { a: 1, b: 2 }, state: 'done', output: { sum: 3 } },
          { type: 'tool_call', toolCallId: 't3', name: 'add', input: {}, state: 'interrupted' },
          { type: 'text', text: 'Done.' },
        ],
      },
      { id: 's1', role: 'assistant', summary: true, parts: [{ type: 'text', text: 'Earlier things.' }] },
    ] as unknown as ChatMessage[];

    expect(toModelMessages(history)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Write it.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Writing.' },
          { type: 'tool-call', toolCallId: 't1', toolName: 'write_file', input: { path: 'a' } },
          { type: 'tool-call', toolCallId: 't2', toolName: 'add', input: { a: 1, b: 2 } },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 't1', toolName: 'write_file', output: { type: 'error-text', value: 'The user rejected this tool call. Feedback: no' } },
          { type: 'tool-result', toolCallId: 't2', toolName: 'add', output: { type: 'json', value: { sum: 3 } } },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Summary of the earlier conversation:\n\nEarlier things.' }] },
    ]);
  });
});

describe('aiSdkAgent through the chat server over HTTP', () => {
  let chat: ChatServer;
  let http: Server;
  let base: string;

  async function start(options: Partial<AiSdkAgentOptions>): Promise<void> {
    const quiet = { warn: () => {}, error: () => {}, info: () => {} };
    chat = createChatServer({ agent: agentWith(options), logger: quiet, autoTitle: false });
    http = createServer(createNodeListener(chat));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
  }

  afterEach(async () => {
    await chat?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  async function chatPost(sessionId: string, body: unknown): Promise<AgentEvent[]> {
    const response = await fetch(`${base}/chat/${sessionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const events: AgentEvent[] = [];
    const reader = decodeEventStream(response.body!).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) events.push(next.value.event);
    return events;
  }

  async function createSession(): Promise<string> {
    const response = await fetch(`${base}/session`, { method: 'POST' });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function messagesOf(sessionId: string): Promise<ChatMessage[]> {
    const response = await fetch(`${base}/session/${sessionId}/messages`);
    return ((await response.json()) as { messages: ChatMessage[] }).messages;
  }

  it('streams a text turn, and sends it back as history on the next turn', async () => {
    await start({});
    fake.enqueue(openAITextResponse(['Hello ', 'from ', 'a model.']), openAITextResponse(['Again.']));
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'Hi!' });

    expect(first.map((e) => e.type)).toEqual([
      'ready',
      'processing',
      'assistant_chunk',
      'assistant_chunk',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    await chatPost(sessionId, { text: 'Once more.' });
    expect(fake.requests[1]!.body.messages).toEqual([
      { role: 'user', content: 'Hi!' },
      { role: 'assistant', content: 'Hello from a model.' },
      { role: 'user', content: 'Once more.' },
    ]);
  });

  it('two parallel tools over HTTP: both calls, both outputs, one turn', async () => {
    await start({ tools: [addTool] });
    fake.enqueue(
      openAIToolCallResponse([
        { id: 'call_1', name: 'add', input: { a: 1, b: 2 } },
        { id: 'call_2', name: 'add', input: { a: 3, b: 4 } },
      ]),
      openAITextResponse(['3 and 7.']),
    );
    const sessionId = await createSession();

    const events = await chatPost(sessionId, { text: 'Add.' });

    expect(events.map((e) => e.type)).toEqual([
      'ready',
      'processing',
      'tool_call',
      'tool_call',
      'usage',
      'tool_output',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    const [, assistant] = await messagesOf(sessionId);
    expect(assistant!.parts.filter((p) => p.type === 'tool_call').map((p) => [p.toolCallId, p.state])).toEqual([
      ['call_1', 'done'],
      ['call_2', 'done'],
    ]);
  });

  it('pauses for approval, then resumes with the edited input when the approvals are POSTed', async () => {
    const calls: unknown[] = [];
    await start({ tools: [recordingWriteTool(calls)] });
    fake.enqueue(
      openAIToolCallResponse([{ id: 'call_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' } }]),
      openAITextResponse(['Saved.']),
    );
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'Write it.' });
    expect(first.at(-1)).toMatchObject({ type: 'approval_required', tools: [{ toolCallId: 'call_w', name: 'write_file' }] });

    // An edit that breaks the schema is refused before anything runs.
    const bad = await fetch(`${base}/chat/${sessionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approvals: [{ toolCallId: 'call_w', decision: 'approve', input: { path: 'a.txt', content: 7 } }] }),
    });
    expect(bad.status).toBe(422);

    const second = await chatPost(sessionId, {
      approvals: [{ toolCallId: 'call_w', decision: 'approve', input: { path: 'a.txt', content: 'edited' } }],
    });

    expect(second.map((e) => e.type)).toEqual([
      'ready',
      'tool_state_change',
      'processing',
      'tool_state_change',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(calls).toEqual([{ path: 'a.txt', content: 'edited' }]);
    expect(fake.requests[1]!.body.messages[1].tool_calls[0].function.arguments).toBe('{"path":"a.txt","content":"edited"}');
  });

  it('a rejection with feedback goes back to the model as the tool result', async () => {
    const calls: unknown[] = [];
    await start({ tools: [recordingWriteTool(calls)] });
    fake.enqueue(
      openAIToolCallResponse([{ id: 'call_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' } }]),
      openAITextResponse(['Fine.']),
    );
    const sessionId = await createSession();
    await chatPost(sessionId, { text: 'Write it.' });

    const second = await chatPost(sessionId, { approvals: [{ toolCallId: 'call_w', decision: 'reject', feedback: 'Not now.' }] });

    expect(second.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(calls).toEqual([]);
    expect(fake.requests[1]!.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_w',
      content: 'The user rejected this tool call. Feedback: Not now.',
    });
  });

  it('POST /interrupt stops a turn while a tool runs; the next turn leaves the interrupted call out', async () => {
    let started!: () => void;
    const toolStarted = new Promise<void>((resolve) => (started = resolve));
    let aborted = false;
    const wait = defineTool({
      name: 'wait',
      description: 'Waits until interrupted.',
      input: z.object({}),
      execute: (_input, ctx) =>
        new Promise<string>((resolve) => {
          started();
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve('stopped');
          });
        }),
    });
    await start({ tools: [wait] });
    fake.enqueue(openAIToolCallResponse([{ id: 'call_wait', name: 'wait', input: {} }], { text: ['Waiting.'] }), openAITextResponse(['Next.']));
    const sessionId = await createSession();

    const turn = chatPost(sessionId, { text: 'Wait.' });
    await toolStarted;
    expect((await fetch(`${base}/interrupt/${sessionId}`, { method: 'POST' })).status).toBeLessThan(300);
    const events = await turn;

    expect(events.at(-1)).toMatchObject({ type: 'interrupted' });
    expect(aborted).toBe(true);
    expect(events.some((e) => e.type === 'tool_output')).toBe(false);

    await chatPost(sessionId, { text: 'Go on.' });
    expect(fake.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: 'Wait.' },
      { role: 'assistant', content: 'Waiting.' },
      { role: 'user', content: 'Go on.' },
    ]);
  });

  it('retries a 429 with retry-after and streams the answer once', async () => {
    await start({});
    fake.enqueue(
      { kind: 'error', status: 429, errorType: 'rate_limit_exceeded', message: 'Slow down', headers: { 'retry-after': '0.02' } },
      openAITextResponse(['Made it.']),
    );
    const sessionId = await createSession();

    const events = await chatPost(sessionId, { text: 'Hi' });

    expect(events.filter((e) => e.type === 'assistant_chunk')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(fake.requests).toHaveLength(2);
  });

  it('an error mid-stream ends the turn with a retryable error, and the next turn sends a valid history', async () => {
    await start({});
    fake.enqueue(openAIStreamErrorResponse({ text: ['The sum ', 'is'] }, 3), openAITextResponse(['Four.']));
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'What is 2 + 2?' });

    expect(first.at(-1)).toMatchObject({ type: 'error', code: 'provider_error', retryable: true });
    await chatPost(sessionId, { text: 'Try again.' });
    expect(fake.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: 'What is 2 + 2?' },
      { role: 'assistant', content: 'The sum is' },
      { role: 'user', content: 'Try again.' },
    ]);
  });

  it('offers its models, runs a session on the one it chose, compacts, titles and probes health over HTTP', async () => {
    await start({
      provider: (id) => provider(id),
      models: [
        { id: 'gpt-4o-mini', label: 'GPT-4o mini' },
        { id: 'gpt-4.1', label: 'GPT-4.1' },
      ],
    });
    const config = (await (await fetch(`${base}/config/model`)).json()) as { model: string; models: { id: string }[] };
    expect(config.models.map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4.1']);
    const sessionId = await createSession();
    const chosen = await fetch(`${base}/session/${sessionId}/model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1' }),
    });
    expect(chosen.status).toBe(200);
    for (const text of ['one', 'two', 'three']) {
      fake.enqueue(openAITextResponse([`answer ${text}`]));
      await chatPost(sessionId, { text });
    }
    expect(fake.requests.map((r) => r.body.model)).toEqual(['gpt-4.1', 'gpt-4.1', 'gpt-4.1']);

    fake.enqueue(openAITextResponse(['The user counted.']));
    const compacted = await fetch(`${base}/compact/${sessionId}`, { method: 'POST' });
    expect(compacted.status).toBe(200);
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4.1', max_tokens: 2048 });
    const [summary] = await messagesOf(sessionId);
    expect(summary).toMatchObject({ summary: true, parts: [{ type: 'text', text: 'The user counted.' }] });

    fake.enqueue(openAITextResponse(['Counting to three']));
    const titled = await fetch(`${base}/title`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Count with me', sessionId }),
    });
    expect(((await titled.json()) as { title: string }).title).toBe('Counting to three');

    fake.enqueue(openAITextResponse(['o']));
    const health = (await (await fetch(`${base}/health/llm`)).json()) as { ok: boolean; model?: string };
    expect(health).toMatchObject({ ok: true });
    expect(fake.requests.at(-1)!.body.max_tokens).toBe(1);
  });

  it('research sub-agents report progress over SSE, and the history keeps each agent on the tool call', async () => {
    const { research } = scriptResearch();
    await start({ tools: [research] });
    const sessionId = await createSession();

    const events = await chatPost(sessionId, { text: 'Research alpha and beta.' });

    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(events.filter((e) => e.type === 'tool_log').length).toBeGreaterThanOrEqual(6);
    const [, assistant] = await messagesOf(sessionId);
    const call = assistant!.parts.find((p) => p.type === 'tool_call')!;
    expect((call as { agents?: unknown[] }).agents).toEqual([
      expect.objectContaining({ agentId: 'call_r:1', label: 'Alpha', status: 'done', toolCount: 1, tokens: 145 }),
      expect.objectContaining({ agentId: 'call_r:2', label: 'Beta', status: 'done', toolCount: 1, tokens: 145 }),
    ]);
  });
});
