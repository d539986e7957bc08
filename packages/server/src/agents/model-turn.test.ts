import type { ApprovalDecision, PendingApproval } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentContext, AgentOutput } from './agent.js';
import { ModelCallError } from './model-call-error.js';
import { runModelTurn, type ModelStepAdapter, type StepOutput } from './model-turn.js';
import { StepReader } from './step-reader.js';
import { defineTool, type Tool } from './tool.js';
import type { ToolCallOutcome } from './tool-loop.js';

/** A stream part of the scripted model below. */
type Part =
  | { kind: 'text'; text: string }
  | { kind: 'call'; id: string; name: string; input: unknown }
  | { kind: 'usage'; input: number; output: number }
  | { kind: 'stop'; reason: string }
  | { kind: 'fail'; code: 'overloaded' | 'provider_error' };

class TestError extends ModelCallError<'overloaded' | 'provider_error'> {
  override readonly name = 'TestError';
}

/** What a scripted SDK throws; the adapter maps it to a {@link TestError}. */
class SdkFailure extends Error {
  constructor(readonly code: 'overloaded' | 'provider_error') {
    super(`sdk says ${code}`);
  }
}

class TestStep extends StepReader<Part> {
  stopReason = 'end_turn';
  readonly inputs = new Map<string, unknown>();

  apply(part: Part): StepOutput[] {
    switch (part.kind) {
      case 'text':
        return this.chunk('text', part.text);
      case 'call':
        this.inputs.set(part.id, part.input);
        return this.toolCall({ toolCallId: part.id, name: part.name, input: part.input });
      case 'usage':
        return this.usage({ inputTokens: part.input, outputTokens: part.output, cacheReadTokens: 0, cacheWriteTokens: 0 });
      case 'stop':
        this.stopReason = part.reason;
        return [];
      case 'fail':
        throw new SdkFailure(part.code);
    }
  }

  setToolInput(toolCallId: string, input: unknown): void {
    this.inputs.set(toolCallId, input);
  }
}

/** $1 per million input tokens, $10 per million output tokens. */
const PRICES = { 'test-model': { input: 1, output: 10, cacheRead: 0, cacheWrite: 0 } };

/**
 * A scripted provider: each model call plays the next entry, an SDK failure
 * thrown when the call starts or the parts of its stream.
 */
function scriptedModel(script: (SdkFailure | Part[])[]) {
  const appended: { inputs: Map<string, unknown>; outcomes: readonly ToolCallOutcome[] }[] = [];
  let calls = 0;
  const adapter: ModelStepAdapter<Part, TestStep> = {
    newStep: () => new TestStep('m1', 'test-model', PRICES),
    async stream() {
      const entry = script[calls++];
      if (!entry) throw new Error('the script has no more model calls');
      if (entry instanceof SdkFailure) throw entry;
      return (async function* () {
        yield* entry;
      })();
    },
    appendStep: (step, outcomes) => appended.push({ inputs: new Map(step.inputs), outcomes }),
    toAgentError: (error) =>
      error instanceof SdkFailure ? new TestError(error.code, error.message, { retryable: error.code === 'overloaded', cause: error }) : error,
  };
  return { adapter, appended, calls: () => calls };
}

const echo = defineTool({
  name: 'echo',
  description: 'Echoes, after approval.',
  input: z.object({ text: z.string() }),
  needsApproval: true,
  execute: ({ text }) => text.toUpperCase(),
});
const tools = new Map<string, Tool<any, any>>([[echo.name, echo]]);

function context(decide: (approvals: PendingApproval[]) => ApprovalDecision[] = () => []): AgentContext {
  return {
    sessionId: 's1',
    turnId: 't1',
    messageId: 'm1',
    history: [],
    input: { text: 'hi' },
    model: undefined,
    usage: { inputTokens: 100, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 1 },
    signal: new AbortController().signal,
    requestApproval: async (approvals) => decide(approvals),
  };
}

async function collect(run: AsyncIterable<AgentOutput>): Promise<{ events: AgentOutput[]; error?: unknown }> {
  const events: AgentOutput[] = [];
  try {
    for await (const event of run) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 100 };

describe('runModelTurn', () => {
  it('settles a step’s tool calls, sends the model the input the tool ran with, and calls it again until it stops', async () => {
    const model = scriptedModel([
      [{ kind: 'call', id: 'c1', name: 'echo', input: { text: 'draft' } }, { kind: 'usage', input: 1_000_000, output: 0 }, { kind: 'stop', reason: 'tool_use' }],
      [{ kind: 'text', text: 'Done.' }, { kind: 'usage', input: 0, output: 100_000 }, { kind: 'stop', reason: 'end_turn' }],
    ]);
    const ctx = context((approvals) => [{ toolCallId: approvals[0]!.toolCallId, decision: 'approve', input: { text: 'edited' } }]);
    const { events, error } = await collect(runModelTurn(ctx, model.adapter, { model: 'test-model', tools, maxIterations: 5, retry: FAST_RETRY }));

    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual([
      'tool_call',
      'usage',
      'tool_state_change',
      'tool_output',
      'assistant_chunk',
      'usage',
      'usage',
      'turn_complete',
    ]);
    expect(events.find((e) => e.type === 'tool_output')).toMatchObject({ toolCallId: 'c1', output: 'EDITED', isError: false });
    // The step went back to the model with the user's edit, and its result.
    expect(model.appended).toHaveLength(1);
    expect(model.appended[0]!.inputs.get('c1')).toEqual({ text: 'edited' });
    expect(model.appended[0]!.outcomes.map((o) => o.result)).toEqual([{ output: 'EDITED', isError: false }]);
    // Each step's usage is priced and carries the session's running total; the turn's sums the steps.
    const usage = events.filter((e) => e.type === 'usage');
    expect(usage.map((e) => [e.scope, e.usage.costUsd, e.cumulative.costUsd])).toEqual([
      ['step', 1, 2],
      ['step', 1, 3],
      ['turn', 2, 3],
    ]);
    expect(usage[2]).toMatchObject({ model: 'test-model', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } });
    expect(events.at(-1)).toEqual({ type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' });
  });

  it('retries a model call that fails before anything of it streamed, and not one that fails after', async () => {
    const model = scriptedModel([
      new SdkFailure('overloaded'),
      [{ kind: 'fail', code: 'overloaded' }],
      [{ kind: 'text', text: 'Hel' }, { kind: 'fail', code: 'overloaded' }],
      [{ kind: 'text', text: 'never asked for' }],
    ]);
    const retries: { attempt: number; error: TestError }[] = [];
    const { events, error } = await collect(
      runModelTurn(context(), model.adapter, {
        model: 'test-model',
        tools,
        maxIterations: 5,
        retry: FAST_RETRY,
        onRetry: ({ attempt, error }: { attempt: number; error: TestError }) => retries.push({ attempt, error }),
      }),
    );

    expect(model.calls()).toBe(3);
    expect(retries.map((r) => [r.attempt, r.error.code, r.error instanceof TestError])).toEqual([
      [1, 'overloaded', true],
      [2, 'overloaded', true],
    ]);
    expect(events).toEqual([{ type: 'assistant_chunk', messageId: 'm1', delta: 'Hel' }]);
    expect(error).toBeInstanceOf(TestError);
    expect(error).toMatchObject({ code: 'overloaded', retryable: true });
  });

  it('does not retry what the agent calls not retryable, and still reports the tokens spent before it', async () => {
    const model = scriptedModel([
      [{ kind: 'call', id: 'c1', name: 'echo', input: { text: 'a' } }, { kind: 'usage', input: 1_000_000, output: 0 }, { kind: 'stop', reason: 'tool_use' }],
      new SdkFailure('provider_error'),
    ]);
    const ctx = context((approvals) => approvals.map((a) => ({ toolCallId: a.toolCallId, decision: 'approve' as const })));
    const { events, error } = await collect(runModelTurn(ctx, model.adapter, { model: 'test-model', tools, maxIterations: 5, retry: FAST_RETRY }));

    expect(model.calls()).toBe(2);
    expect(error).toMatchObject({ name: 'TestError', code: 'provider_error', retryable: false });
    expect(events.at(-1)).toMatchObject({ type: 'usage', scope: 'turn', usage: { costUsd: 1 }, cumulative: { costUsd: 2 } });
  });

  it('ends with max_iterations when the model still calls tools after that many calls', async () => {
    const step: Part[] = [{ kind: 'call', id: 'c1', name: 'echo', input: { text: 'a' } }, { kind: 'stop', reason: 'tool_use' }];
    const model = scriptedModel([step, step]);
    const ctx = context((approvals) => approvals.map((a) => ({ toolCallId: a.toolCallId, decision: 'approve' as const })));
    const { events, error } = await collect(runModelTurn(ctx, model.adapter, { model: 'test-model', tools, maxIterations: 2, retry: FAST_RETRY }));

    expect(error).toBeUndefined();
    expect(model.calls()).toBe(2);
    expect(model.appended).toHaveLength(2);
    // No step reported usage, so there is no turn usage either.
    expect(events.some((e) => e.type === 'usage')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'turn_complete', turnId: 't1', stopReason: 'max_iterations' });
  });
});
