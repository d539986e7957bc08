import type { ApprovalDecision, PendingApproval } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApprovalOptions } from './agent.js';
import { defineTool, type Tool } from './tool.js';
import { runTools, settledToolResult, type StepToolCall, type ToolCallOutcome, type ToolLoopContext, type ToolLoopEvent } from './tool-loop.js';

/** A tool that answers after `delayMs`, reporting one progress line and one model call on the way. */
const slow = defineTool({
  name: 'slow',
  description: 'Echoes after a delay.',
  input: z.object({ text: z.string(), delayMs: z.number().int().min(0) }),
  async execute({ text, delayMs }, ctx) {
    ctx.log?.({ agentId: 'a', label: 'Echo', status: 'running', step: text, toolCount: 0, tokens: 0, elapsedMs: 0 });
    ctx.reportUsage?.({ model: 'm', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 } });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return text.toUpperCase();
  },
});
const write = defineTool({
  name: 'write',
  description: 'Writes, after approval.',
  input: z.object({ path: z.string().min(1) }),
  needsApproval: true,
  execute: ({ path }) => `wrote ${path}`,
});

function context(
  decide: (approvals: PendingApproval[], options?: ApprovalOptions) => ApprovalDecision[] | Promise<ApprovalDecision[]>,
  signal = new AbortController().signal,
): ToolLoopContext & { asked: PendingApproval[][] } {
  const asked: PendingApproval[][] = [];
  const tools = new Map<string, Tool<any, any>>([slow, write].map((tool) => [tool.name, tool]));
  return {
    tools,
    sessionId: 's1',
    signal,
    asked,
    requestApproval: async (approvals, options) => {
      asked.push(approvals);
      return decide(approvals, options);
    },
  };
}

async function collect(calls: StepToolCall[], ctx: ToolLoopContext) {
  const events: ToolLoopEvent[] = [];
  const generator = runTools(calls, ctx);
  let next = await generator.next();
  for (; !next.done; next = await generator.next()) events.push(next.value);
  return { events, outcomes: next.value as ToolCallOutcome[] | undefined };
}

describe('runTools', () => {
  it('runs a step at once and returns results in call order, whatever order they finished in', async () => {
    const ctx = context(() => []);
    const { events, outcomes } = await collect(
      [
        { toolCallId: 'c1', name: 'slow', input: { text: 'one', delayMs: 120 } },
        { toolCallId: 'c2', name: 'slow', input: { text: 'two', delayMs: 10 } },
        { toolCallId: 'c3', name: 'slow', input: { text: 'three', delayMs: 60 } },
      ],
      ctx,
    );
    expect(ctx.asked).toEqual([]);
    expect(outcomes!.map((o) => [o.call.toolCallId, o.status, o.result])).toEqual([
      ['c1', 'ran', { output: 'ONE', isError: false }],
      ['c2', 'ran', { output: 'TWO', isError: false }],
      ['c3', 'ran', { output: 'THREE', isError: false }],
    ]);
    // Finished in the order of their delays: they ran at once, not one after another.
    const outputs = events.flatMap((e) => (e.type === 'tool_output' ? [e.toolCallId] : []));
    expect(outputs).toEqual(['c2', 'c3', 'c1']);
    expect(events.filter((e) => e.type === 'tool_log').map((e) => e.toolCallId)).toEqual(['c1', 'c2', 'c3']);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(3);
    // Progress comes before its call's output.
    for (const id of ['c1', 'c2', 'c3']) {
      const log = events.findIndex((e) => e.type === 'tool_log' && e.toolCallId === id);
      const output = events.findIndex((e) => e.type === 'tool_output' && e.toolCallId === id);
      expect(log).toBeLessThan(output);
    }
  });

  it('asks once for every call that needs approval; runs the approved (with the edited input), rejects the others with their feedback', async () => {
    const ctx = context((approvals, options) => {
      expect(options?.validateInput?.('w1', { path: '' })).toEqual([{ path: ['path'], message: expect.any(String) }]);
      expect(options?.validateInput?.('w1', { path: 'ok.md' })).toEqual([]);
      return [
        { toolCallId: approvals[0]!.toolCallId, decision: 'approve', input: { path: 'edited.md' } },
        { toolCallId: approvals[1]!.toolCallId, decision: 'reject', feedback: '  not there  ' },
      ];
    });
    const { events, outcomes } = await collect(
      [
        { toolCallId: 'w1', name: 'write', input: { path: 'a.md' }, approvalReason: 'Writes a file.' },
        { toolCallId: 's1', name: 'slow', input: { text: 'free', delayMs: 0 } },
        { toolCallId: 'w2', name: 'write', input: { path: 'b.md' } },
      ],
      ctx,
    );
    expect(ctx.asked).toHaveLength(1);
    expect(ctx.asked[0]!.map((a) => [a.toolCallId, a.reason])).toEqual([
      ['w1', 'Writes a file.'],
      ['w2', undefined],
    ]);
    expect(outcomes!.map(({ call, ...rest }) => [call.toolCallId, rest])).toEqual([
      ['w1', { status: 'ran', input: { path: 'edited.md' }, edited: true, result: { output: 'wrote edited.md', isError: false } }],
      ['s1', { status: 'ran', input: { text: 'free', delayMs: 0 }, edited: false, result: { output: 'FREE', isError: false } }],
      [
        'w2',
        {
          status: 'rejected',
          input: { path: 'b.md' },
          edited: false,
          feedback: 'not there',
          result: { output: 'The user rejected this tool call. Feedback: not there', isError: true },
        },
      ],
    ]);
    // Only the approved call changes state; the rejected one yields nothing (the runner reported it).
    expect(events.filter((e) => e.type === 'tool_state_change')).toEqual([{ type: 'tool_state_change', toolCallId: 'w1', state: 'running' }]);
    expect(events.filter((e) => e.type === 'tool_output').map((e) => e.toolCallId).sort()).toEqual(['s1', 'w1']);
  });

  it('fails an unknown tool, unreadable arguments and invalid input without asking or running anything', async () => {
    const ctx = context(() => {
      throw new Error('must not ask');
    });
    const { outcomes } = await collect(
      [
        { toolCallId: 'u', name: 'nope', input: {} },
        { toolCallId: 'j', name: 'write', input: {}, inputError: 'The tool input is not valid JSON.' },
        { toolCallId: 'v', name: 'write', input: { path: 42 } },
      ],
      ctx,
    );
    expect(outcomes!.map((o) => o.result)).toEqual([
      { output: 'Unknown tool "nope". Available tools: slow, write.', isError: true },
      { output: 'The tool input is not valid JSON.', isError: true },
      { output: 'Invalid input for write: path: Invalid input: expected string, received number', isError: true },
    ]);
  });

  it('refuses calls that need approval when there is no one to ask (no requestApproval), and runs the rest', async () => {
    const { requestApproval: _none, ...ctx } = context(() => []);
    const { events, outcomes } = await collect(
      [
        { toolCallId: 'w1', name: 'write', input: { path: 'a.md' } },
        { toolCallId: 's1', name: 'slow', input: { text: 'ok', delayMs: 0 } },
      ],
      ctx,
    );
    expect(outcomes!.map((o) => [o.status, o.result])).toEqual([
      ['rejected', { output: "write needs the user's approval, which this agent cannot ask for.", isError: true }],
      ['ran', { output: 'OK', isError: false }],
    ]);
    expect(events.filter((e) => e.type === 'tool_output').map((e) => e.toolCallId)).toEqual(['s1']);
  });

  it('returns undefined, without waiting for the tools, when the turn is interrupted', async () => {
    const controller = new AbortController();
    const ctx = context(() => [], controller.signal);
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    const { outcomes } = await collect([{ toolCallId: 'c1', name: 'slow', input: { text: 'late', delayMs: 3000 } }], ctx);
    expect(outcomes).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('settledToolResult', () => {
  const call = { type: 'tool_call', toolCallId: 't1', name: 'write', input: {} } as const;

  it('shows a model the rejection, the output, or the failure of a stored call', () => {
    expect(settledToolResult({ ...call, state: 'rejected', feedback: ' not there ' })).toEqual({
      output: 'The user rejected this tool call. Feedback: not there',
      isError: true,
    });
    expect(settledToolResult({ ...call, state: 'done', output: { ok: 1 } })).toEqual({ output: { ok: 1 }, isError: false });
    expect(settledToolResult({ ...call, state: 'done', output: 'bad', isError: true })).toEqual({ output: 'bad', isError: true });
    expect(settledToolResult({ ...call, state: 'error', output: 'boom' })).toEqual({ output: 'boom', isError: true });
  });

  it('has nothing for a call still waiting or cut off', () => {
    expect(settledToolResult({ ...call, state: 'awaiting_approval' })).toBeUndefined();
    expect(settledToolResult({ ...call, state: 'running' })).toBeUndefined();
    expect(settledToolResult({ ...call, state: 'error' })).toBeUndefined();
  });
});
