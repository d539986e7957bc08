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
import type { AgentContext, AgentOutput } from '../agent.js';
import {
  ANTHROPIC_MODELS,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_TITLE_MODEL,
  anthropicAgent,
  toAnthropicMessages,
  type AnthropicAgentOptions,
} from './index.js';
import { AnthropicAgentError } from './call.js';
import { anthropicCostUsd } from './prices.js';
import { researchTool } from './research-tool.js';
import {
  startFakeAnthropicServer,
  streamErrorResponse,
  streamResponse,
  textResponse,
  toolUseResponse,
  type FakeAnthropicServer,
} from '../../testing/fake-anthropic-server.js';
import { createNodeListener } from '../../adapters/node.js';
import { createChatServer, type ChatServer } from '../../http/chat-server.js';
import { defineTool } from '../tool.js';

let fake: FakeAnthropicServer;
let client: Anthropic;
/** Retries without real waits, so tests stay fast and independent of timing. */
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 1000 };

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
  // A current model by default: the SDK warns on every request for a deprecated one. Fast retries.
  const agent = anthropicAgent({ client, model: 'claude-haiku-4-5', retry: FAST_RETRY, ...options });
  for await (const event of agent.run(ctx)) events.push(event);
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
    const [usage, turn] = ofType(events, 'usage');
    expect(usage).toMatchObject({
      scope: 'step',
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 500, cacheWriteTokens: 0 },
      cumulative: { inputTokens: 1010, outputTokens: 205, cacheReadTokens: 500, cacheWriteTokens: 0 },
    });
    expect(usage!.usage.costUsd).toBeCloseTo(cost, 12);
    expect(usage!.cumulative.costUsd).toBeCloseTo(0.5 + cost, 12);
    // The turn's total equals its only step; cumulative is unchanged by the turn event.
    expect(turn).toMatchObject({ scope: 'turn', usage: usage!.usage, cumulative: usage!.cumulative });
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
    expect(usages.map((u) => [u.scope, u.usage.inputTokens, u.cumulative.inputTokens])).toEqual([
      ['step', 100, 100],
      ['step', 150, 250],
      ['turn', 250, 250],
    ]);
    expect(usages.map((u) => u.cumulative.outputTokens)).toEqual([10, 18, 18]);
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
    // The runner reports the user's decision; the agent only says when the approved call starts.
    expect(ofType(events, 'tool_state_change')).toEqual([{ type: 'tool_state_change', toolCallId: 'toolu_w', state: 'running' }]);
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
    // Outputs come as the calls finish; look them up by id.
    const outputs = new Map(ofType(events, 'tool_output').map((o) => [o.toolCallId, o]));
    expect(outputs.get('toolu_1')).toMatchObject({ output: 'deleted', isError: false });
    expect(outputs.get('toolu_2')).toMatchObject({ isError: true });
    expect(outputs.get('toolu_2')!.output).toMatch(/^Invalid input for delete: path:/);
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

    const error = await collect({ retry: { maxAttempts: 1 } }, harness().ctx).catch((e: unknown) => e);

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

    const error = await collect({ retry: { maxAttempts: 1 } }, harness().ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AnthropicAgentError);
    expect(error).toMatchObject({ code: 'overloaded', status: undefined, retryable: true });
  });
});

/** Rejects after `ms` with `message`: keeps a test that would deadlock from hanging until the global timeout. */
function failAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

describe('anthropicAgent parallel tools', () => {
  it('runs the calls of one step concurrently and returns their results in call order', async () => {
    let releaseSlow!: () => void;
    const slowMayFinish = new Promise<void>((resolve) => (releaseSlow = resolve));
    const slow = defineTool({
      name: 'slow',
      description: 'Waits for fast.',
      input: z.object({}),
      // Run one after the other, slow would wait for a fast call that never starts.
      execute: async () => {
        await Promise.race([slowMayFinish, failAfter(5000, 'the tools ran one after the other')]);
        return 'slow done';
      },
    });
    const fast = defineTool({
      name: 'fast',
      description: 'Lets slow finish.',
      input: z.object({}),
      execute: () => {
        releaseSlow();
        return 'fast done';
      },
    });
    fake.enqueue(
      toolUseResponse([
        { id: 'toolu_slow', name: 'slow', input: {} },
        { id: 'toolu_fast', name: 'fast', input: {} },
      ]),
      textResponse(['Both ran.']),
    );

    const events = await collect({ tools: [slow, fast] }, harness().ctx);

    const outputs = new Map(ofType(events, 'tool_output').map((o) => [o.toolCallId, o.output]));
    expect(outputs).toEqual(new Map([['toolu_slow', 'slow done'], ['toolu_fast', 'fast done']]));
    expect(fake.requests[1]!.body.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_slow', content: 'slow done' },
      { type: 'tool_result', tool_use_id: 'toolu_fast', content: 'fast done' },
    ]);
  });

  it('answers a batch approval: one call approved with an edit, one rejected with feedback, one without approval', async () => {
    const calls: unknown[] = [];
    fake.enqueue(
      toolUseResponse([
        { id: 'toolu_w1', name: 'write_file', input: { path: 'a.txt', content: 'one' } },
        { id: 'toolu_w2', name: 'write_file', input: { path: 'b.txt', content: 'two' } },
        { id: 'toolu_add', name: 'add', input: { a: 1, b: 2 } },
      ]),
      textResponse(['Done.']),
    );
    const { ctx, approvalRequests } = harness({
      decide: () => [
        { toolCallId: 'toolu_w2', decision: 'reject', feedback: 'Not b.txt' },
        { toolCallId: 'toolu_w1', decision: 'approve', input: { path: 'a.txt', content: 'ONE' } },
      ],
    });

    const events = await collect({ tools: [recordingWriteTool(calls), addTool] }, ctx);

    expect(approvalRequests.map((r) => r.map((t) => t.toolCallId))).toEqual([['toolu_w1', 'toolu_w2']]);
    expect(calls).toEqual([{ path: 'a.txt', content: 'ONE' }]);
    expect(ofType(events, 'tool_state_change')).toEqual([{ type: 'tool_state_change', toolCallId: 'toolu_w1', state: 'running' }]);
    expect(ofType(events, 'tool_output').map((o) => o.toolCallId).sort()).toEqual(['toolu_add', 'toolu_w1']);
    const [, assistant, results] = fake.requests[1]!.body.messages;
    expect(assistant.content[0].input).toEqual({ path: 'a.txt', content: 'ONE' });
    expect(results.content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_w1', content: 'wrote 3 bytes to a.txt' },
      { type: 'tool_result', tool_use_id: 'toolu_w2', content: 'The user rejected this tool call. Feedback: Not b.txt', is_error: true },
      { type: 'tool_result', tool_use_id: 'toolu_add', content: '{"sum":3}' },
    ]);
  });

  it('ends promptly when interrupted while a tool runs, even a tool that ignores the signal', async () => {
    let started!: () => void;
    const toolStarted = new Promise<void>((resolve) => (started = resolve));
    const stuck = defineTool({
      name: 'stuck',
      description: 'Never finishes.',
      input: z.object({}),
      execute: () => {
        started();
        return new Promise<never>(() => {});
      },
    });
    fake.enqueue(toolUseResponse([{ id: 'toolu_s', name: 'stuck', input: {} }]));
    const { ctx, controller } = harness();

    const run = collect({ tools: [stuck] }, ctx);
    await toolStarted;
    controller.abort(new DOMException('The turn was interrupted', 'AbortError'));
    const events = await run;

    expect(events.map((e) => e.type)).toEqual(['tool_call', 'usage']);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('anthropicAgent retries', () => {
  it('retries 529 and 429, honouring retry-after-ms and retry-after, and streams the answer once', async () => {
    fake.enqueue(
      { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after-ms': '25' } },
      { kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Slow down', headers: { 'retry-after': '0' } },
      textResponse(['Fine ', 'now.']),
    );
    const retries: unknown[] = [];

    const events = await collect(
      { onRetry: ({ attempt, delayMs, error }) => retries.push([attempt, delayMs, error.code]) },
      harness().ctx,
    );

    expect(retries).toEqual([
      [1, 25, 'overloaded'],
      [2, 0, 'rate_limited'],
    ]);
    expect(fake.requests).toHaveLength(3);
    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Fine ', 'now.']);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });
  });

  it('is the only retry policy: the SDK retries nothing on its own, for a given client or a built one', async () => {
    const sdkDefaults = new Anthropic({ baseURL: fake.url, apiKey: 'test-key' });
    fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    await collect({ client: sdkDefaults, retry: { maxAttempts: 1 } }, harness().ctx).catch(() => {});
    expect(fake.requests).toHaveLength(1);

    fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    const built = anthropicAgent({ baseURL: fake.url, apiKey: 'test-key', model: 'claude-haiku-4-5', retry: { maxAttempts: 1 } });
    await expect(
      (async () => {
        for await (const _ of built.run(harness().ctx));
      })(),
    ).rejects.toMatchObject({ code: 'overloaded' });
    expect(fake.requests).toHaveLength(2);
  });

  it('fails the turn with not_configured, and reports unhealthy, when there is no API key', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const agent = anthropicAgent({ baseURL: fake.url });
      const error = await (async () => {
        for await (const _ of agent.run(harness().ctx));
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnthropicAgentError);
      expect(error).toMatchObject({ code: 'not_configured', retryable: false });
      expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
      const health = await agent.checkHealth({ signal: new AbortController().signal });
      expect(health).toMatchObject({ ok: false, error: expect.stringContaining('API key is missing') });
      expect(fake.requests).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    fake.enqueue(
      { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' },
      { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Still overloaded' },
    );

    const error = await collect({ retry: { ...FAST_RETRY, maxAttempts: 2 } }, harness().ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AnthropicAgentError);
    expect(error).toMatchObject({ code: 'overloaded', retryable: true, status: 529 });
    expect((error as Error).message).toContain('Still overloaded');
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry when retry-after asks for more than maxDelayMs, nor on a 400', async () => {
    fake.enqueue({ kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Later', headers: { 'retry-after': '120' } });
    const error = await collect({}, harness().ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 120_000 });
    expect(fake.requests).toHaveLength(1);

    fake.enqueue({ kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'Bad' });
    await expect(collect({}, harness().ctx)).rejects.toMatchObject({ code: 'provider_error', retryable: false });
    expect(fake.requests).toHaveLength(2);
  });

  it('stops waiting at once when interrupted during a backoff', async () => {
    fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after': '30' } });
    const { ctx, controller } = harness();
    const started = Date.now();

    const events = await collect({ retry: { maxDelayMs: 60_000 }, onRetry: () => controller.abort() }, ctx);

    expect(events).toEqual([]);
    // The wait would have been 30 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a connection dropped before any answer', async () => {
    fake.enqueue({ kind: 'disconnect' }, textResponse(['Connected.']));
    const retries: string[] = [];

    const events = await collect({ onRetry: ({ error }) => retries.push(error.code) }, harness().ctx);

    expect(retries).toEqual(['network_error']);
    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Connected.']);
  });

  it('retries a stream that breaks with an error event before anything was shown', async () => {
    fake.enqueue(
      // message_start and content_block_start only, then `event: error`.
      streamErrorResponse({ blocks: [{ type: 'text', chunks: ['lost'] }] }, 2),
      textResponse(['Whole answer.']),
    );

    const events = await collect({}, harness().ctx);

    expect(ofType(events, 'assistant_chunk').map((e) => e.delta)).toEqual(['Whole answer.']);
    expect(fake.requests).toHaveLength(2);
  });

  it('ends the turn with the error, without retrying, when the stream breaks after text was shown', async () => {
    // message_start, content_block_start, ping, the first delta; then `event: error`.
    fake.enqueue(streamErrorResponse({ blocks: [{ type: 'text', chunks: ['Hal', 'f'] }] }, 4));
    const events: AgentOutput[] = [];

    const error = await (async () => {
      for await (const event of anthropicAgent({ client, model: 'claude-haiku-4-5', retry: FAST_RETRY }).run(harness().ctx)) {
        events.push(event);
      }
    })().catch((e: unknown) => e);

    expect(events.map((e) => e.type)).toEqual(['assistant_chunk']);
    expect(error).toMatchObject({ code: 'overloaded', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a connection that breaks mid-stream as a retryable network_error', async () => {
    fake.enqueue(streamResponse({ blocks: [{ type: 'text', chunks: ['Hal', 'f'] }] }, { disconnectAfter: 4 }));

    const error = await collect({}, harness().ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AnthropicAgentError);
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('anthropicAgent models, usage and cost', () => {
  it('uses the session model (ctx.model) over options.model', async () => {
    fake.enqueue(textResponse(['Hi.'], { model: 'claude-opus-5-5' }));

    const events = await collect({ model: 'claude-haiku-4-5' }, harness({ model: 'claude-opus-5-5' }).ctx);

    expect(fake.requests[0]!.body.model).toBe('claude-opus-5-5');
    expect(ofType(events, 'usage').map((u) => u.model)).toEqual(['claude-opus-5-5', 'claude-opus-5-5']);
  });

  it('offers the SDK models with the configured default first', () => {
    expect(anthropicAgent().models[0]).toMatchObject({ id: DEFAULT_ANTHROPIC_MODEL, recommended: true });
    expect(anthropicAgent().models).toEqual(ANTHROPIC_MODELS);
    expect(anthropicAgent({ model: 'claude-haiku-5-5' }).models.map((m) => m.id)).toEqual([
      'claude-haiku-5-5',
      ...ANTHROPIC_MODELS.map((m) => m.id).filter((id) => id !== 'claude-haiku-5-5'),
    ]);
    expect(anthropicAgent({ model: 'my-gateway-model' }).models[0]).toEqual({
      id: 'my-gateway-model',
      label: 'my-gateway-model',
      provider: 'anthropic',
    });
  });

  it('sums cache reads and writes per step and per turn, priced from an overridable table', async () => {
    fake.enqueue(
      toolUseResponse([{ id: 'toolu_1', name: 'add', input: { a: 1, b: 1 } }], {
        model: 'claude-haiku-4-5',
        usage: { input_tokens: 100, output_tokens: 10, cache_creation_input_tokens: 1000 },
      }),
      textResponse(['2'], { model: 'claude-haiku-4-5', usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 1000 } }),
    );
    // $1 per input token, $10 per output token, $100 per cache write and $1000 per cache read, per million.
    const prices = { 'claude-haiku-4-5': { input: 1, output: 10, cacheWrite: 100, cacheRead: 1000 } };

    const events = await collect({ tools: [addTool], prices }, harness().ctx);

    const usages = ofType(events, 'usage');
    expect(usages.map((u) => u.scope)).toEqual(['step', 'step', 'turn']);
    expect(usages[0]!.usage).toMatchObject({ inputTokens: 100, outputTokens: 10, cacheWriteTokens: 1000, cacheReadTokens: 0 });
    expect(usages[0]!.usage.costUsd).toBeCloseTo((100 + 100 + 100_000) / 1e6, 12);
    expect(usages[1]!.usage.costUsd).toBeCloseTo((20 + 50 + 1_000_000) / 1e6, 12);
    expect(usages[2]!.usage).toMatchObject({ inputTokens: 120, outputTokens: 15, cacheWriteTokens: 1000, cacheReadTokens: 1000 });
    expect(usages[2]!.usage.costUsd).toBeCloseTo(usages[0]!.usage.costUsd + usages[1]!.usage.costUsd, 12);
    expect(usages[2]!.cumulative).toEqual(usages[1]!.cumulative);
  });
});

describe('anthropicAgent summarize, title and checkHealth', () => {
  it('summarizes messages with one call on the session model and returns the text', async () => {
    fake.enqueue(textResponse(['The user added 1 and 2 (3).'], { model: 'claude-opus-5-5' }));
    const agent = anthropicAgent({ client, retry: FAST_RETRY });
    const messages: ChatMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Add 1 and 2.', state: 'done' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [{ type: 'tool_call', toolCallId: 't1', name: 'add', input: { a: 1, b: 2 }, state: 'done', output: { sum: 3 } }],
      },
    ];

    const summary = await agent.summarize({ sessionId: 's', messages, model: 'claude-opus-5-5', signal: new AbortController().signal });

    expect(summary).toBe('The user added 1 and 2 (3).');
    const body = fake.requests[0]!.body;
    expect(body.model).toBe('claude-opus-5-5');
    expect(body.stream).toBeUndefined();
    expect(body.system).toContain('Summarise');
    expect(body.messages[0].content).toContain('User: Add 1 and 2.');
    expect(body.messages[0].content).toContain('Tool call add({"a":1,"b":2}) -> done: {"sum":3}');
  });

  it('writes a title with the small model and cleans it up', async () => {
    fake.enqueue(textResponse(['"Adding numbers together."\nExtra line'], { model: DEFAULT_TITLE_MODEL }));
    const agent = anthropicAgent({ client, retry: FAST_RETRY });

    const title = await agent.title('Please add 1 and 2', { signal: new AbortController().signal, model: 'claude-opus-5-5' });

    expect(title).toBe('Adding numbers together');
    expect(fake.requests[0]!.body).toMatchObject({
      model: DEFAULT_TITLE_MODEL,
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Please add 1 and 2' }],
    });

    fake.enqueue(textResponse(['Sums']));
    await anthropicAgent({ client, titleModel: 'claude-haiku-5-5' }).title('x', { signal: new AbortController().signal });
    expect(fake.requests[1]!.body.model).toBe('claude-haiku-5-5');
  });

  it('checks health with a 1-token probe, once, and reports failures without throwing', async () => {
    const agent = anthropicAgent({ client, model: 'claude-haiku-4-5', retry: FAST_RETRY });
    fake.enqueue(textResponse(['p']));

    const healthy = await agent.checkHealth({ signal: new AbortController().signal });

    expect(healthy).toMatchObject({ ok: true, model: 'claude-haiku-4-5' });
    expect(healthy.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1 });

    fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    const sick = await agent.checkHealth({ signal: new AbortController().signal, model: 'claude-opus-5-5' });

    expect(sick).toMatchObject({ ok: false, model: 'claude-opus-5-5' });
    expect(sick.error).toContain('HTTP 529');
    // A probe is not retried: its answer is the state of the provider now.
    expect(fake.requests).toHaveLength(2);
  });
});

/**
 * Scripts a research call with two sub-agents ("Alpha", "Beta") that each call
 * `lookup` once, then answer. `lookup` waits until both sub-agents are inside
 * it, which only happens when they run in parallel.
 */
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
  const research = researchTool({ client, tools: [lookup], model: 'claude-haiku-4-5', retry: FAST_RETRY });
  const firstMessageIs = (text: string, length: number) => (request: { body: Record<string, any> }) =>
    request.body.stream !== true && request.body.messages[0]?.content === text && request.body.messages.length === length;
  const subUsage = { input_tokens: 50, output_tokens: 5 };
  fake.enqueue(
    {
      ...toolUseResponse([
        {
          id: 'toolu_r',
          name: 'research',
          input: {
            tasks: [
              { label: 'Alpha', instructions: 'Research alpha' },
              { label: 'Beta', instructions: 'Research beta' },
            ],
          },
        },
      ]),
      match: (request) => request.body.stream === true,
    },
    ...(['alpha', 'beta'] as const).flatMap((topic) => [
      {
        ...toolUseResponse([{ id: `toolu_${topic}`, name: 'lookup', input: { topic } }], { model: 'claude-haiku-4-5', usage: subUsage }),
        match: firstMessageIs(`Research ${topic}`, 1),
      },
      {
        ...textResponse([`${topic} is known.`], { model: 'claude-haiku-4-5', usage: { input_tokens: 80, output_tokens: 10 } }),
        match: firstMessageIs(`Research ${topic}`, 3),
      },
    ]),
    { ...textResponse(['Both sub-agents reported.']), match: (request) => request.body.stream === true },
  );
  return { research, lookup };
}

describe('anthropicAgent research sub-agents', () => {
  it('runs two sub-agents in parallel, streams their tool_log progress and usage, and returns their summary', async () => {
    const { research } = scriptResearch();

    const events = await collect({ tools: [research] }, harness().ctx);

    const logs = ofType(events, 'tool_log');
    expect(new Set(logs.map((l) => l.toolCallId))).toEqual(new Set(['toolu_r']));
    const byAgent = new Map<string, Record<string, any>[]>();
    for (const log of logs) byAgent.set(log.agent.agentId, [...(byAgent.get(log.agent.agentId) ?? []), log]);
    expect([...byAgent.keys()].sort()).toEqual(['toolu_r:1', 'toolu_r:2']);
    for (const [agentId, updates] of byAgent) {
      expect(updates[0]!.agent).toMatchObject({ status: 'running', step: 'Starting', toolCount: 0, tokens: 0 });
      expect(updates.map((u) => u.agent.step)).toContain('Using lookup');
      expect(updates.at(-1)!.agent).toMatchObject({
        agentId,
        label: agentId.endsWith(':1') ? 'Alpha' : 'Beta',
        status: 'done',
        toolCount: 1,
        tokens: 50 + 5 + 80 + 10,
      });
      expect(updates.at(-1)!.agent.elapsedMs).toBeGreaterThanOrEqual(0);
    }
    const summary = '## Alpha\n\nalpha is known.\n\n## Beta\n\nbeta is known.';
    expect(ofType(events, 'tool_output')).toEqual([{ type: 'tool_output', toolCallId: 'toolu_r', output: summary, isError: false }]);

    // The sub-agents' four model calls count in the turn's usage.
    const steps = ofType(events, 'usage').filter((u) => u.scope === 'step');
    expect(steps.filter((u) => u.model === 'claude-haiku-4-5')).toHaveLength(4);
    const turn = ofType(events, 'usage').find((u) => u.scope === 'turn')!;
    expect(turn.usage.inputTokens).toBe(10 + 2 * (50 + 80) + 10);

    const subRequests = fake.requests.filter((r) => r.body.stream !== true);
    expect(subRequests).toHaveLength(4);
    for (const request of subRequests) {
      expect(request.body).toMatchObject({ model: 'claude-haiku-4-5', tools: [{ name: 'lookup' }] });
      expect(request.body.system).toContain('research sub-agent');
    }
    const last = fake.requests.at(-1)!.body;
    expect(last.messages.at(-1).content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_r', content: summary }]);
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
    chat = createChatServer({
      agent: anthropicAgent({ client, model: 'claude-haiku-4-5', retry: FAST_RETRY, ...options }),
      logger: quiet,
      // These tests script every call to the fake API; a title would be one more.
      autoTitle: false,
    });
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
      'tool_state_change',
      'tool_output',
      'assistant_chunk',
      'assistant_stream_end',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(calls).toEqual([{ path: 'a.txt', content: 'edited' }]);
    expect(fake.requests[1]!.body.messages[1].content).toEqual([
      { type: 'tool_use', id: 'toolu_w', name: 'write_file', input: { path: 'a.txt', content: 'edited' } },
    ]);
  });
  async function messagesOf(sessionId: string): Promise<ChatMessage[]> {
    const response = await fetch(`${base}/session/${sessionId}/messages`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: ChatMessage[] }).messages;
  }

  it('retries an overloaded model call and streams the answer once', async () => {
    await start({});
    fake.enqueue(
      { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after-ms': '10' } },
      textResponse(['Made it.']),
    );
    const sessionId = await createSession();

    const events = await chatPost(sessionId, { text: 'Hi' });

    expect(events.filter((e) => e.type === 'assistant_chunk')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(fake.requests).toHaveLength(2);
  });

  it('an error mid-stream ends the turn with a retryable error, and the next turn sends a valid history', async () => {
    await start({ tools: [addTool] });
    fake.enqueue(
      toolUseResponse([{ id: 'toolu_1', name: 'add', input: { a: 2, b: 2 } }], { text: 'Adding.' }),
      // Text streams, a second tool call starts, then the API fails.
      streamErrorResponse(
        {
          blocks: [
            { type: 'thinking', chunks: ['Checking.'], signature: 'sig-t' },
            { type: 'text', chunks: ['The sum ', 'is'] },
            { type: 'tool_use', id: 'toolu_2', name: 'add', jsonChunks: ['{"a":'] },
          ],
        },
        // message_start; thinking start, ping, delta, signature, stop; text start, 2 deltas, stop; tool_use start and delta.
        1 + 5 + 4 + 2,
      ),
      textResponse(['Four.']),
    );
    const sessionId = await createSession();

    const first = await chatPost(sessionId, { text: 'What is 2 + 2?' });

    expect(first.at(-1)).toMatchObject({ type: 'error', code: 'overloaded', retryable: true });
    expect(first.some((e) => e.type === 'tool_call' && e.toolCallId === 'toolu_2')).toBe(false);
    const [, assistant] = await messagesOf(sessionId);
    // Nothing is left streaming or half-open: the partial text is kept as the user saw it.
    expect(assistant!.parts.map((p) => [p.type, p.state])).toEqual([
      ['text', 'done'],
      ['tool_call', 'done'],
      ['thinking', 'done'],
      ['text', 'done'],
    ]);

    const second = await chatPost(sessionId, { text: 'Try again.' });

    expect(second.at(-1)).toMatchObject({ type: 'turn_complete' });
    const sent = fake.requests.at(-1)!.body.messages;
    expect(sent).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is 2 + 2?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Adding.' },
          { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 2, b: 2 } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"sum":4}' }] },
      // The unfinished tool call is left out; the signed thinking and the partial text stay.
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Checking.', signature: 'sig-t' },
          { type: 'text', text: 'The sum is' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Try again.' }] },
    ]);
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
    fake.enqueue(toolUseResponse([{ id: 'toolu_wait', name: 'wait', input: {} }], { text: 'Waiting.' }), textResponse(['Next.']));
    const sessionId = await createSession();

    const turn = chatPost(sessionId, { text: 'Wait.' });
    await toolStarted;
    expect((await fetch(`${base}/interrupt/${sessionId}`, { method: 'POST' })).status).toBeLessThan(300);
    const events = await turn;

    expect(events.at(-1)).toMatchObject({ type: 'interrupted' });
    expect(aborted).toBe(true);
    expect(events.some((e) => e.type === 'tool_output')).toBe(false);
    const [, assistant] = await messagesOf(sessionId);
    expect(assistant!.parts.find((p) => p.type === 'tool_call')).toMatchObject({ state: 'interrupted' });

    await chatPost(sessionId, { text: 'Go on.' });

    expect(fake.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Wait.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Waiting.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
    ]);
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
    expect(call).toMatchObject({ name: 'research', state: 'done' });
    expect((call as { agents?: unknown[] }).agents).toEqual([
      expect.objectContaining({ agentId: 'toolu_r:1', label: 'Alpha', status: 'done', toolCount: 1, tokens: 145 }),
      expect.objectContaining({ agentId: 'toolu_r:2', label: 'Beta', status: 'done', toolCount: 1, tokens: 145 }),
    ]);
    const usage = events.filter((e) => e.type === 'usage').at(-1);
    expect(usage).toMatchObject({ scope: 'turn', usage: { inputTokens: 10 + 2 * (50 + 80) + 10 } });
  });
});
