import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import {
  decodeEventStream,
  type AgentEvent,
  type ApprovalDecision,
  type ChatMessage,
  type PendingApproval,
  type UsageTotals,
} from '@agent-chat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentContext, AgentOutput } from './agent.js';
import {
  AnthropicAgentError,
  DEFAULT_ANTHROPIC_MODEL,
  anthropicAgent,
  anthropicCostUsd,
  toAnthropicMessages,
  type AnthropicAgentOptions,
} from './anthropic-agent.js';
import {
  startFakeAnthropicServer,
  streamResponse,
  textResponse,
  type FakeAnthropicServer,
} from './testing/fake-anthropic-server.js';
import { createNodeListener } from './adapters/node.js';
import { createChatServer, type ChatServer } from './chat-server.js';
import { defineTool } from './tool.js';

let fake: FakeAnthropicServer;
let client: Anthropic;

beforeEach(async () => {
  fake = await startFakeAnthropicServer();
  // No SDK retries: a scripted error must surface at once.
  client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
});
afterEach(() => fake.close());

interface Harness {
  ctx: AgentContext;
  controller: AbortController;
  approvalRequests: PendingApproval[][];
}

function harness(
  overrides: Partial<Omit<AgentContext, 'requestApproval'>> & { decide?: (tools: PendingApproval[]) => ApprovalDecision[] } = {},
): Harness {
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

async function collect(options: AnthropicAgentOptions, ctx: AgentContext): Promise<AgentOutput[]> {
  const events: AgentOutput[] = [];
  // A current model by default: the SDK warns on every request for a deprecated one.
  for await (const event of anthropicAgent({ client, model: 'claude-haiku-4-5', ...options }).run(ctx)) events.push(event);
  return events;
}

function ofType<T extends AgentOutput['type']>(events: AgentOutput[], type: T): Record<string, any>[] {
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

describe('anthropicAgent streaming', () => {
  it('streams text in order, then assistant_stream_end, usage and turn_complete', async () => {
    fake.enqueue(
      textResponse(['Hel', 'lo ', 'world'], { usage: { input_tokens: 1000, output_tokens: 200, cache_read_input_tokens: 500 } }),
    );
    const prior: UsageTotals = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 };
    const { ctx } = harness({ usage: prior });

    const events = await collect({ system: 'Be brief.', model: undefined }, ctx);

    expect(events.map((e) => e.type)).toEqual([
      'assistant_chunk',
      'assistant_chunk',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'turn_complete',
    ]);
    expect(ofType(events, 'assistant_chunk').map((e) => [e.messageId, e.delta])).toEqual([
      ['msg-1', 'Hel'],
      ['msg-1', 'lo '],
      ['msg-1', 'world'],
    ]);
    // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read per million tokens.
    const cost = (1000 * 3 + 200 * 15 + 500 * 0.3) / 1e6;
    const [usage] = ofType(events, 'usage');
    expect(usage).toMatchObject({
      scope: 'step',
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 500, cacheWriteTokens: 0 },
      cumulative: { inputTokens: 1010, outputTokens: 205, cacheReadTokens: 500, cacheWriteTokens: 0 },
    });
    expect(usage!.usage.costUsd).toBeCloseTo(cost, 12);
    expect(usage!.cumulative.costUsd).toBeCloseTo(0.5 + cost, 12);
    expect(events.at(-1)).toEqual({ type: 'turn_complete', turnId: 'turn-1', stopReason: 'end_turn' });

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body;
    expect(body).toMatchObject({
      model: DEFAULT_ANTHROPIC_MODEL,
      max_tokens: 8192,
      stream: true,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }],
    });
    expect(body.tools).toBeUndefined();
    expect(body.thinking).toBeUndefined();
  });

  it('streams thinking, ends it with its signature, and sends the signed block back after a tool step', async () => {
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'thinking', chunks: ['I should ', 'add.'], signature: 'sig-abc' },
          { type: 'tool_use', id: 'toolu_1', name: 'add', jsonChunks: ['{"a":1,"b":2}'] },
        ],
      }),
      streamResponse({
        blocks: [
          { type: 'thinking', chunks: ['Done.'], signature: 'sig-def' },
          { type: 'text', chunks: ['3'] },
        ],
      }),
    );
    const { ctx } = harness();

    const events = await collect({ tools: [addTool], thinking: { budgetTokens: 2048 }, maxTokens: 4096 }, ctx);

    expect(events.map((e) => e.type)).toEqual([
      'thinking_chunk',
      'thinking_chunk',
      'thinking_end',
      'tool_call',
      'usage',
      'tool_output',
      'thinking_chunk',
      'thinking_end',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'turn_complete',
    ]);
    expect(ofType(events, 'thinking_chunk').map((e) => e.delta)).toEqual(['I should ', 'add.', 'Done.']);
    expect(ofType(events, 'thinking_end')).toEqual([
      { type: 'thinking_end', messageId: 'msg-1', signature: 'sig-abc' },
      { type: 'thinking_end', messageId: 'msg-1', signature: 'sig-def' },
    ]);
    expect(fake.requests[0]!.body).toMatchObject({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(fake.requests[1]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hello?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should add.', signature: 'sig-abc' },
          { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 1, b: 2 } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"sum":3}' }] },
    ]);
  });

  it('assembles a tool_use from input_json_delta pieces, runs the tool and feeds the result back', async () => {
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'text', chunks: ['Let me add.'] },
          { type: 'tool_use', id: 'toolu_add', name: 'add', jsonChunks: ['', '{"a"', ': 40, ', '"b": 2', '}'] },
        ],
        usage: { input_tokens: 100, output_tokens: 10 },
      }),
      textResponse(['The sum is ', '42.'], { usage: { input_tokens: 150, output_tokens: 8 } }),
    );
    const { ctx } = harness();

    const events = await collect({ tools: [addTool] }, ctx);

    expect(ofType(events, 'tool_call')).toEqual([
      { type: 'tool_call', messageId: 'msg-1', toolCallId: 'toolu_add', name: 'add', input: { a: 40, b: 2 } },
    ]);
    expect(ofType(events, 'tool_output')).toEqual([
      { type: 'tool_output', toolCallId: 'toolu_add', output: { sum: 42 }, isError: false },
    ]);
    expect(ofType(events, 'assistant_chunk').map((e) => e.delta).join('')).toBe('Let me add.The sum is 42.');
    const usages = ofType(events, 'usage');
    expect(usages.map((u) => u.cumulative.inputTokens)).toEqual([100, 250]);
    expect(usages.map((u) => u.cumulative.outputTokens)).toEqual([10, 18]);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.body.tools).toEqual([
      {
        name: 'add',
        description: 'Adds two numbers.',
        input_schema: expect.objectContaining({
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        }),
      },
    ]);
    expect(fake.requests[1]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hello?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me add.' },
          { type: 'tool_use', id: 'toolu_add', name: 'add', input: { a: 40, b: 2 } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_add', content: '{"sum":42}' }] },
    ]);
  });

  it('answers unknown tools, invalid JSON and invalid input with error results, without running anything', async () => {
    const calls: unknown[] = [];
    const tool = defineTool({
      name: 'add',
      description: 'Adds.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: (input) => void calls.push(input),
    });
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'tool_use', id: 'toolu_x', name: 'nope', jsonChunks: ['{}'] },
          { type: 'tool_use', id: 'toolu_y', name: 'add', jsonChunks: ['{"a": 1,'] },
          { type: 'tool_use', id: 'toolu_z', name: 'add', jsonChunks: ['{"a": "one", "b": 2}'] },
        ],
      }),
      textResponse(['Sorry.']),
    );
    const { ctx } = harness();

    const events = await collect({ tools: [tool] }, ctx);

    expect(calls).toEqual([]);
    const outputs = ofType(events, 'tool_output');
    expect(outputs.map((o) => [o.toolCallId, o.isError])).toEqual([
      ['toolu_x', true],
      ['toolu_y', true],
      ['toolu_z', true],
    ]);
    expect(outputs[0]!.output).toContain('Unknown tool "nope"');
    expect(outputs[1]!.output).toContain('not valid JSON');
    expect(outputs[2]!.output).toMatch(/^Invalid input for add: a:/);
    const [assistant, results] = fake.requests[1]!.body.messages.slice(1);
    // Unparseable input still goes back as an object, so the API accepts the history.
    expect(assistant.content[1]).toEqual({ type: 'tool_use', id: 'toolu_y', name: 'add', input: {} });
    expect(results.content.map((b: any) => [b.tool_use_id, b.is_error])).toEqual([
      ['toolu_x', true],
      ['toolu_y', true],
      ['toolu_z', true],
    ]);
  });

  it('streams whitespace-only text but leaves it out of the history the API gets back', async () => {
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'text', chunks: ['\n', '\n'] },
          { type: 'tool_use', id: 'toolu_1', name: 'add', jsonChunks: ['{"a":1,"b":1}'] },
        ],
      }),
      textResponse(['2']),
    );

    const events = await collect({ tools: [addTool] }, harness().ctx);

    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['\n', '\n', '2']);
    expect(fake.requests[1]!.body.messages[1].content).toEqual([
      { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 1, b: 1 } },
    ]);
  });

  it('stops after maxIterations model calls with stopReason max_iterations', async () => {
    const toolStep = (id: string) =>
      streamResponse({ blocks: [{ type: 'tool_use', id, name: 'add', jsonChunks: ['{"a":1,"b":1}'] }] });
    fake.enqueue(toolStep('toolu_1'), toolStep('toolu_2'), toolStep('toolu_3'));
    const { ctx } = harness();

    const events = await collect({ tools: [addTool], maxIterations: 2 }, ctx);

    expect(fake.requests).toHaveLength(2);
    expect(ofType(events, 'tool_output')).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'turn_complete', turnId: 'turn-1', stopReason: 'max_iterations' });
  });

  it('reports max_tokens as the stop reason', async () => {
    fake.enqueue(textResponse(['cut o'], { stopReason: 'max_tokens' }));
    const events = await collect({}, harness().ctx);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'max_tokens' });
  });
});

describe('anthropicAgent approvals', () => {
  it('runs an approved call with the edited input, and the next request shows that input', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'tool_use', id: 'toolu_w', name: 'write_file', jsonChunks: ['{"path":"a.txt",', '"content":"hi"}'] },
          { type: 'tool_use', id: 'toolu_a', name: 'add', jsonChunks: ['{"a":2,"b":3}'] },
        ],
      }),
      textResponse(['Written.']),
    );
    const { ctx, approvalRequests } = harness({
      decide: (tools) => tools.map((t) => ({ toolCallId: t.toolCallId, decision: 'approve', input: { path: 'b.txt', content: 'hello' } })),
    });

    const events = await collect({ tools: [recordingWriteTool(calls), addTool] }, ctx);

    // Only the call that needs approval is asked about, with its schema for editing.
    expect(approvalRequests).toHaveLength(1);
    expect(approvalRequests[0]).toEqual([
      {
        toolCallId: 'toolu_w',
        name: 'write_file',
        input: { path: 'a.txt', content: 'hi' },
        inputSchema: expect.objectContaining({ type: 'object', required: ['path', 'content'] }),
      },
    ]);
    expect(calls).toEqual([{ path: 'b.txt', content: 'hello' }]);
    expect(ofType(events, 'tool_output')).toEqual([
      { type: 'tool_output', toolCallId: 'toolu_w', output: 'wrote 5 bytes to b.txt', isError: false },
      { type: 'tool_output', toolCallId: 'toolu_a', output: { sum: 5 }, isError: false },
    ]);
    // The runner reports the user's decision; the agent does not repeat it.
    expect(ofType(events, 'tool_state_change')).toEqual([]);
    const [, assistant, results] = fake.requests[1]!.body.messages;
    expect(assistant.content).toEqual([
      { type: 'tool_use', id: 'toolu_w', name: 'write_file', input: { path: 'b.txt', content: 'hello' } },
      { type: 'tool_use', id: 'toolu_a', name: 'add', input: { a: 2, b: 3 } },
    ]);
    expect(results.content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_w', content: 'wrote 5 bytes to b.txt' },
      { type: 'tool_result', tool_use_id: 'toolu_a', content: '{"sum":5}' },
    ]);
  });

  it('sends a rejected call back as an error result with the feedback, without running it', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      streamResponse({
        blocks: [{ type: 'tool_use', id: 'toolu_w', name: 'write_file', jsonChunks: ['{"path":"a.txt","content":"x"}'] }],
      }),
      textResponse(['OK, I will not.']),
    );
    const { ctx } = harness({
      decide: () => [{ toolCallId: 'toolu_w', decision: 'reject', feedback: 'Use notes.md instead' }],
    });

    const events = await collect({ tools: [recordingWriteTool(calls)] }, ctx);

    expect(calls).toEqual([]);
    expect(ofType(events, 'tool_output')).toEqual([]);
    expect(fake.requests[1]!.body.messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_w',
          content: 'The user rejected this tool call. Feedback: Use notes.md instead',
          is_error: true,
        },
      ],
    });
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });
  });

  it('asks only when a needsApproval predicate says so, and rejects an invalid edit', async () => {
    const calls: unknown[] = [];
    const deleteTool = defineTool({
      name: 'delete',
      description: 'Deletes a path.',
      input: z.object({ path: z.string() }),
      needsApproval: ({ path }) => !path.startsWith('tmp/'),
      execute: ({ path }) => {
        calls.push(path);
        return 'deleted';
      },
    });
    fake.enqueue(
      streamResponse({
        blocks: [
          { type: 'tool_use', id: 'toolu_1', name: 'delete', jsonChunks: ['{"path":"tmp/x"}'] },
          { type: 'tool_use', id: 'toolu_2', name: 'delete', jsonChunks: ['{"path":"src/y"}'] },
        ],
      }),
      textResponse(['Done.']),
    );
    const { ctx, approvalRequests } = harness({
      decide: () => [{ toolCallId: 'toolu_2', decision: 'approve', input: { path: 42 } }],
    });

    const events = await collect({ tools: [deleteTool] }, ctx);

    expect(approvalRequests.map((r) => r.map((t) => t.toolCallId))).toEqual([['toolu_2']]);
    expect(calls).toEqual(['tmp/x']);
    const outputs = ofType(events, 'tool_output');
    expect(outputs[0]).toMatchObject({ toolCallId: 'toolu_1', output: 'deleted', isError: false });
    expect(outputs[1]).toMatchObject({ toolCallId: 'toolu_2', isError: true });
    expect(outputs[1]!.output).toMatch(/^Invalid input for delete: path:/);
  });
});

describe('anthropicAgent interrupts and errors', () => {
  it('ends promptly and quietly when interrupted mid-stream, and closes the request', async () => {
    fake.enqueue(
      streamResponse(
        { blocks: [{ type: 'text', chunks: ['one ', 'two ', 'three ', 'four'] }] },
        // message_start, content_block_start, ping, 2 deltas; then the connection stays open.
        { hangAfter: 5 },
      ),
    );
    const { ctx, controller } = harness();
    const events: AgentOutput[] = [];
    const started = Date.now();

    for await (const event of anthropicAgent({ client, model: 'claude-haiku-4-5' }).run(ctx)) {
      events.push(event);
      if (events.length === 2) controller.abort(new DOMException('The turn was interrupted', 'AbortError'));
    }

    expect(Date.now() - started).toBeLessThan(2000);
    expect(events.map((e) => e.type)).toEqual(['assistant_chunk', 'assistant_chunk']);
    await expect(fake.requests[0]!.closed).resolves.toBeUndefined();
  });

  it('ends quietly when interrupted while waiting for approval', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      streamResponse({ blocks: [{ type: 'tool_use', id: 'toolu_w', name: 'write_file', jsonChunks: ['{"path":"a","content":"b"}'] }] }),
    );
    const controller = new AbortController();
    const { ctx } = harness({ signal: controller.signal });
    ctx.requestApproval = () => {
      controller.abort();
      return Promise.reject(new DOMException('The turn was interrupted', 'AbortError'));
    };

    const events = await collect({ tools: [recordingWriteTool(calls)] }, ctx);

    expect(events.map((e) => e.type)).toEqual(['tool_call', 'usage']);
    expect(calls).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [529, 'overloaded_error', 'overloaded', true],
    [429, 'rate_limit_error', 'rate_limited', true],
    [400, 'invalid_request_error', 'provider_error', false],
    [500, 'api_error', 'provider_error', true],
  ])('turns HTTP %i into AnthropicAgentError %s', async (status, errorType, code, retryable) => {
    fake.enqueue({ kind: 'error', status, errorType, message: 'Something specific' });

    const error = await collect({}, harness().ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AnthropicAgentError);
    expect(error).toMatchObject({ code, status, retryable });
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect((error as Error).message).toContain('Something specific');
    expect((error as Error).cause).toBeInstanceOf(Anthropic.APIError);
  });

  it('turns an error event inside the stream into an overloaded error', async () => {
    fake.enqueue({
      kind: 'stream',
      events: [
        streamResponse({ blocks: [{ type: 'text', chunks: ['Hi'] }] }).events[0]!,
        { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
      ],
    });

    const error = await collect({}, harness().ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AnthropicAgentError);
    expect(error).toMatchObject({ code: 'overloaded', status: undefined, retryable: true });
  });
});

describe('toAnthropicMessages', () => {
  const history: ChatMessage[] = [
    { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Add and write.', state: 'done' }] },
    {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'thinking', text: 'Plan.', state: 'done', signature: 'sig-1' },
        { type: 'text', text: 'Adding.', state: 'done' },
        { type: 'tool_call', toolCallId: 't1', name: 'add', input: { a: 1, b: 2 }, state: 'done', output: { sum: 3 } },
        {
          type: 'tool_call',
          toolCallId: 't2',
          name: 'write_file',
          input: { path: 'x' },
          state: 'rejected',
          feedback: 'No.',
        },
        { type: 'thinking', text: 'Unsigned, dropped.', state: 'done' },
        { type: 'text', text: 'Trying again.', state: 'done' },
        { type: 'tool_call', toolCallId: 't3', name: 'read', input: { path: 'y' }, state: 'error', output: 'ENOENT', isError: true },
        { type: 'tool_call', toolCallId: 't4', name: 'read', input: { path: 'z' }, state: 'interrupted' },
      ],
    },
    { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'Stop. Now this.', state: 'done' }] },
    {
      id: 'a2',
      role: 'assistant',
      parts: [{ type: 'tool_call', toolCallId: 't5', name: 'read', input: {}, state: 'awaiting_approval' }],
    },
    { id: 'u3', role: 'user', parts: [{ type: 'text', text: 'Hello again.', state: 'done' }] },
    {
      id: 'a3',
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Hi.', state: 'done' },
        { type: 'text', text: '   ', state: 'done' },
      ],
    },
  ];

  const expected = [
    { role: 'user', content: [{ type: 'text', text: 'Add and write.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Plan.', signature: 'sig-1' },
        { type: 'text', text: 'Adding.' },
        { type: 'tool_use', id: 't1', name: 'add', input: { a: 1, b: 2 } },
        { type: 'tool_use', id: 't2', name: 'write_file', input: { path: 'x' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: '{"sum":3}' },
        { type: 'tool_result', tool_use_id: 't2', content: 'The user rejected this tool call. Feedback: No.', is_error: true },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Trying again.' },
        { type: 'tool_use', id: 't3', name: 'read', input: { path: 'y' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't3', content: 'ENOENT', is_error: true },
        // The assistant message a2 had only an unanswered call: nothing of it is kept.
        { type: 'text', text: 'Stop. Now this.' },
        { type: 'text', text: 'Hello again.' },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] },
  ];

  it('converts the view model into alternating messages where every tool_use has its tool_result', () => {
    const messages = toAnthropicMessages(history);

    expect(messages).toEqual(expected);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    const toolUses = messages.flatMap((m) => (m.content as any[]).filter((b) => b.type === 'tool_use').map((b) => b.id));
    const results = messages.flatMap((m) => (m.content as any[]).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
    expect(results).toEqual(toolUses);
  });

  it('sends the converted history followed by the new input', async () => {
    fake.enqueue(textResponse(['Sure.']));
    const { ctx } = harness({ history, input: { text: 'Go on.' } });

    await collect({}, ctx);

    expect(fake.requests[0]!.body.messages).toEqual([
      ...expected,
      { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
    ]);
  });

  it('merges the new input into a trailing tool_result message', async () => {
    fake.enqueue(textResponse(['Sure.']));
    const { ctx } = harness({ history: history.slice(0, 2), input: { text: 'Go on.' } });

    await collect({}, ctx);

    const messages = fake.requests[0]!.body.messages;
    expect(messages).toHaveLength(5);
    expect(messages[4].content.at(-1)).toEqual({ type: 'text', text: 'Go on.' });
    expect(messages[4].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 't3' });
  });
});

describe('anthropicCostUsd', () => {
  it('prices dated model ids like their family and unknown models at 0', () => {
    const counts = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 1_000_000 };
    expect(anthropicCostUsd('claude-haiku-4-5-20251001', counts)).toBeCloseTo(1 + 5 + 1.25, 10);
    expect(anthropicCostUsd('claude-opus-4-5', counts)).toBeCloseTo(5 + 25 + 6.25, 10);
    expect(anthropicCostUsd('some-future-model', counts)).toBe(0);
  });
});

describe('anthropicAgent through the chat server over HTTP', () => {
  let chat: ChatServer;
  let http: Server;
  let base: string;

  async function start(options: AnthropicAgentOptions): Promise<void> {
    const quiet = { warn: () => {}, error: () => {}, info: () => {} };
    chat = createChatServer({ agent: anthropicAgent({ client, model: 'claude-haiku-4-5', ...options }), logger: quiet });
    http = createServer(createNodeListener(chat));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
  }

  afterEach(async () => {
    await chat?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  /** POSTs to /chat/:id and reads the SSE answer to its end. */
  async function chatPost(sessionId: string, body: unknown): Promise<AgentEvent[]> {
    const response = await fetch(`${base}/chat/${sessionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
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

  it('streams the model text of a POST /chat, and sends it back as history on the next turn', async () => {
    await start({});
    fake.enqueue(textResponse(['Hello ', 'from ', 'Claude.']), textResponse(['Again.']));
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
      'turn_complete',
    ]);
    expect(first.flatMap((e) => (e.type === 'assistant_chunk' ? [e.delta] : [])).join('')).toBe('Hello from Claude.');
    expect(first.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });

    const second = await chatPost(sessionId, { text: 'Once more.' });

    expect(second.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(fake.requests[1]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi!' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello from Claude.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Once more.' }] },
    ]);
    const usage = second.find((e) => e.type === 'usage');
    // Cumulative over the session: the fake reports 10 input tokens per call.
    expect(usage).toMatchObject({ cumulative: { inputTokens: 20, outputTokens: 10 } });
  });

  it('pauses for approval, then resumes with the edited input when the approvals are POSTed', async () => {
    const calls: unknown[] = [];
    await start({ tools: [recordingWriteTool(calls)] });
    fake.enqueue(
      streamResponse({
        blocks: [{ type: 'tool_use', id: 'toolu_w', name: 'write_file', jsonChunks: ['{"path":"a.txt",', '"content":"hi"}'] }],
      }),
      textResponse(['Saved.']),
    );
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'Write it.' });

    expect(first.at(-1)).toMatchObject({
      type: 'approval_required',
      tools: [{ toolCallId: 'toolu_w', name: 'write_file', input: { path: 'a.txt', content: 'hi' } }],
    });
    expect(calls).toEqual([]);

    const second = await chatPost(sessionId, {
      approvals: [{ toolCallId: 'toolu_w', decision: 'approve', input: { path: 'a.txt', content: 'edited' } }],
    });

    expect(second.map((e) => e.type)).toEqual([
      'ready',
      'tool_state_change',
      'processing',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'turn_complete',
    ]);
    expect(calls).toEqual([{ path: 'a.txt', content: 'edited' }]);
    expect(fake.requests[1]!.body.messages[1].content).toEqual([
      { type: 'tool_use', id: 'toolu_w', name: 'write_file', input: { path: 'a.txt', content: 'edited' } },
    ]);
  });
});
