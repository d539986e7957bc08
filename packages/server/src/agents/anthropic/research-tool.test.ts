import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ToolContext } from '../tool.js';
import type { ToolLogAgent } from '../sub-agent-progress.js';
import { researchTool } from './research-tool.js';
import { startFakeAnthropicServer, textResponse, toolUseResponse, type FakeAnthropicServer } from '../../testing/fake-anthropic-server.js';
import { defineTool, runToolCall } from '../tool.js';

let fake: FakeAnthropicServer;
let client: Anthropic;

beforeEach(async () => {
  fake = await startFakeAnthropicServer();
  client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
});
afterEach(() => fake.close());

function context(overrides: Partial<ToolContext> = {}) {
  const logs: ToolLogAgent[] = [];
  const usage: { model: string; inputTokens: number }[] = [];
  const ctx: ToolContext = {
    sessionId: 's1',
    toolCallId: 'call_1',
    signal: new AbortController().signal,
    log: (agent) => logs.push(agent),
    reportUsage: ({ model, usage: u }) => usage.push({ model, inputTokens: u.inputTokens }),
    ...overrides,
  };
  return { ctx, logs, usage };
}

const forTask = (text: string) => (request: { body: Record<string, any> }) => request.body.messages[0]?.content === text;

describe('researchTool', () => {
  it('reports a failed sub-agent in the summary and its log, and still returns the others', async () => {
    fake.enqueue(
      { ...textResponse(['Found it.']), match: forTask('good') },
      { kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'Bad task', match: forTask('bad') },
    );
    const tool = researchTool({ client, tools: [] });
    const { ctx, logs, usage } = context();

    const result = await runToolCall(tool, { tasks: [{ label: 'Good', instructions: 'good' }, { label: 'Bad', instructions: 'bad' }] }, ctx);

    expect(result.isError).toBe(false);
    expect(result.output).toMatch(/^## Good\n\nFound it\.\n\n## Bad\n\nFailed: The Anthropic API call failed \(HTTP 400\): Bad task/);
    expect(logs.filter((l) => l.agentId === 'call_1:2').at(-1)).toMatchObject({ label: 'Bad', status: 'error' });
    expect(logs.filter((l) => l.agentId === 'call_1:1').at(-1)).toMatchObject({ label: 'Good', status: 'done' });
    expect(usage).toEqual([{ model: 'claude-sonnet-4-5-20250929', inputTokens: 10 }]);
  });

  it('fails the call when every sub-agent fails', async () => {
    fake.enqueue({ kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'No' });
    const tool = researchTool({ client, tools: [] });

    const result = await runToolCall(tool, { tasks: [{ label: 'Only', instructions: 'x' }] }, context().ctx);

    expect(result).toMatchObject({ isError: true });
    expect(result.output).toContain('Every research sub-agent failed');
  });

  it('refuses sub-agents the tools that need approval, and works without progress callbacks', async () => {
    const writes: unknown[] = [];
    const write = defineTool({
      name: 'write',
      description: 'Writes.',
      input: z.object({ text: z.string() }),
      needsApproval: true,
      execute: (input) => void writes.push(input),
    });
    fake.enqueue(toolUseResponse([{ id: 'toolu_w', name: 'write', input: { text: 'x' } }]), textResponse(['Could not write.']));
    const tool = researchTool({ client, tools: [write], maxSteps: 3 });

    const result = await runToolCall(
      tool,
      { tasks: [{ label: 'Writer', instructions: 'write x' }] },
      { sessionId: 's', toolCallId: 'c', signal: new AbortController().signal },
    );

    expect(writes).toEqual([]);
    expect(result).toEqual({ output: '## Writer\n\nCould not write.', isError: false });
    expect(fake.requests[1]!.body.messages[2].content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'toolu_w',
      is_error: true,
      content: expect.stringContaining('needs the user\'s approval'),
    });
  });

  it('stops a sub-agent after maxSteps model calls', async () => {
    const ping = defineTool({ name: 'ping', description: 'Pings.', input: z.object({}), execute: () => 'pong' });
    fake.enqueue(
      toolUseResponse([{ id: 'toolu_1', name: 'ping', input: {} }], { text: 'Pinging.' }),
      toolUseResponse([{ id: 'toolu_2', name: 'ping', input: {} }], { text: 'Again.' }),
    );
    const tool = researchTool({ client, tools: [ping], maxSteps: 2 });

    const result = await runToolCall(tool, { tasks: [{ label: 'Loop', instructions: 'ping forever' }] }, context().ctx);

    expect(result.output).toBe('## Loop\n\nAgain.\n\n(Stopped after 2 steps.)');
    expect(fake.requests).toHaveLength(2);
  });

  it('limits the tasks to maxAgents and describes its tools to the model', () => {
    const lookup = defineTool({ name: 'lookup', description: 'Looks up.', input: z.object({}), execute: () => '' });
    const tool = researchTool({ client, tools: [lookup], maxAgents: 2, name: 'deep_research' });
    const task = { label: 'x', instructions: 'y' };
    expect(tool.name).toBe('deep_research');
    expect(tool.description).toContain('lookup');
    expect(tool.input.safeParse({ tasks: [task, task] }).success).toBe(true);
    expect(tool.input.safeParse({ tasks: [task, task, task] }).success).toBe(false);
    expect(tool.input.safeParse({ tasks: [] }).success).toBe(false);
  });
});
