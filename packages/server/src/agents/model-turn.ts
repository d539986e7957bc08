import { addUsage, ZERO_USAGE, type EventOf } from '@agent-chat/core';
import type { AgentContext, AgentOutput } from './agent.js';
import { ModelCallError, retryDecisionOf } from './model-call-error.js';
import { withRetry, type RetryOptions } from './retry.js';
import { runTools, type StepToolCall, type ToolCallOutcome } from './tool-loop.js';
import type { Tool } from './tool.js';

/** What one part of a model's stream turns into. A `usage` event has scope `step`; the driver fills in its `cumulative`. */
export type StepOutput =
  | EventOf<'assistant_chunk'>
  | EventOf<'assistant_stream_end'>
  | EventOf<'thinking_chunk'>
  | EventOf<'thinking_end'>
  | EventOf<'tool_call'>
  | EventOf<'usage'>;

/** One model call's answer as it streams in: a provider's reader of its stream parts (see `StepReader`). */
export interface ModelStep<Part> {
  /**
   * Turns one stream part into events and keeps what the model said, to send it back.
   * @throws what an error part carries.
   */
  apply(part: Part): StepOutput[];
  /** Once the stream has ended: the tool calls to settle before the next model call, in order; none when the turn ends here. */
  readonly toolCalls: readonly StepToolCall[];
  /** Once the stream has ended: why the model stopped, in the Anthropic API's words (`end_turn`, `tool_use`, `max_tokens`...). */
  readonly stopReason: string;
  /** Whether the stream said the request was aborted (an SDK may end it quietly instead of throwing). */
  readonly aborted: boolean;
  /** Makes one of the step's tool calls carry the input its tool ran with (the user's edit), for the next model call. */
  setToolInput(toolCallId: string, input: unknown): void;
}

/** What is provider-specific in a model turn: calling the model, reading its stream, keeping the conversation. */
export interface ModelStepAdapter<Part, Step extends ModelStep<Part>> {
  /** A reader for the next model call's stream. */
  newStep(): Step;
  /** Starts one streaming model call on the conversation so far; `signal` aborts the request. */
  stream(signal: AbortSignal): AsyncIterable<Part> | Promise<AsyncIterable<Part>>;
  /** Adds a step whose tool calls were settled to the conversation: the model's content, then the results, in call order. */
  appendStep(step: Step, outcomes: readonly ToolCallOutcome[]): void;
  /** Maps what a model call threw to the agent's own {@link ModelCallError}; anything else (a bug, an abort) passes unchanged. */
  toAgentError(error: unknown): unknown;
}

/** The agent's settings for {@link runModelTurn}. */
export interface ModelTurnOptions<E extends ModelCallError> {
  /** The model asked, named in the turn's `usage` event. */
  model: string;
  tools: ReadonlyMap<string, Tool<any, any>>;
  /** Most model calls; the turn then ends with `max_iterations`. */
  maxIterations: number;
  retry: RetryOptions;
  /** Called before each retry wait; `error` is what the adapter's `toAgentError` made of the failure. */
  onRetry?: ((info: { attempt: number; delayMs: number; error: E }) => void) | undefined;
}

/**
 * Runs one turn of a model agent, the same way for every provider:
 * 1. calls the model (through the adapter) on the conversation so far and
 *    streams the events its step reader makes of the answer. A call that fails
 *    before anything of it was yielded is retried ({@link withRetry}, with
 *    `options.retry`); once something streamed, the turn ends with the error;
 * 2. when the step made tool calls, settles them with the shared tool loop
 *    ({@link runTools}: validation, one approval request, all at once), gives
 *    each call the input it ran with, lets the adapter add the step and its
 *    results to the conversation, and goes back to 1, up to `maxIterations` calls;
 * 3. ends with a `usage` event of scope `turn` (when any step reported usage)
 *    and `turn_complete` with the last step's stop reason, or `max_iterations`.
 *
 * Every step `usage` event (the model's and those tools report) gets the
 * session's running total as `cumulative`. An interrupt (`ctx.signal`) aborts
 * the request, a retry wait or the tools, and ends the run quietly.
 *
 * @throws the adapter's `toAgentError` of a model call that failed for good,
 *   after the turn's `usage` event (the tokens spent before it still count).
 */
export async function* runModelTurn<Part, Step extends ModelStep<Part>, E extends ModelCallError>(
  ctx: AgentContext,
  adapter: ModelStepAdapter<Part, Step>,
  options: ModelTurnOptions<E>,
): AsyncGenerator<AgentOutput, void> {
  let cumulative = ctx.usage ?? { ...ZERO_USAGE };
  let turnUsage = { ...ZERO_USAGE };
  let usageSeen = false;
  /** Gives a step usage event its session total, and keeps the turn's. */
  const account = (output: AgentOutput): AgentOutput => {
    if (output.type !== 'usage') return output;
    usageSeen = true;
    turnUsage = addUsage(turnUsage, output.usage);
    cumulative = addUsage(cumulative, output.usage);
    return { ...output, cumulative };
  };
  const turnUsageEvents = (): AgentOutput[] =>
    usageSeen ? [{ type: 'usage', scope: 'turn', model: options.model, usage: turnUsage, cumulative }] : [];

  try {
    for (let iteration = 0; iteration < options.maxIterations; iteration++) {
      // A failed call is retried only while nothing of it was yielded: what the user has seen cannot be taken back.
      const { step, first, rest } = await withRetry(() => openStep(adapter, ctx.signal), {
        ...options.retry,
        signal: ctx.signal,
        classify: (error) => retryDecisionOf(adapter.toAgentError(error)),
        onRetry: ({ attempt, delayMs, error }) => {
          const mapped = adapter.toAgentError(error);
          // The adapter maps failures to its agent's own error class, E.
          if (mapped instanceof ModelCallError) options.onRetry?.({ attempt, delayMs, error: mapped as E });
        },
      });
      for (const output of first) yield account(output);
      for await (const part of rest) {
        for (const output of step.apply(part)) yield account(output);
      }
      // On abort an SDK may end the stream early instead of throwing.
      if (ctx.signal.aborted || step.aborted) return;
      if (step.toolCalls.length === 0) {
        yield* turnUsageEvents();
        yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: step.stopReason };
        return;
      }

      const run = runTools(step.toolCalls, {
        tools: options.tools,
        sessionId: ctx.sessionId,
        signal: ctx.signal,
        requestApproval: (calls, approvalOptions) => ctx.requestApproval(calls, approvalOptions),
      });
      let next = await run.next();
      for (; !next.done; next = await run.next()) yield account(next.value);
      const outcomes = next.value;
      if (!outcomes || ctx.signal.aborted) return;
      for (const outcome of outcomes) {
        // The model must see the input the tool actually ran with.
        if (outcome.status === 'ran' && outcome.edited) step.setToolInput(outcome.call.toolCallId, outcome.input);
      }
      adapter.appendStep(step, outcomes);
    }
    yield* turnUsageEvents();
    yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'max_iterations' };
  } catch (error) {
    // An interrupt is the runner's to report; whatever the SDK threw on abort is noise.
    if (ctx.signal.aborted) return;
    yield* turnUsageEvents();
    throw adapter.toAgentError(error);
  }
}

/** A model call's stream, read up to its first part that yields something (or its end). */
interface OpenedStep<Part, Step> {
  step: Step;
  /** What that part yielded. */
  first: StepOutput[];
  /** The rest of the stream. */
  rest: AsyncIterable<Part> | Iterable<Part>;
}

/**
 * Starts one streaming model call and reads it until it yields something, so
 * that a failure before then (an HTTP error, or an error part at the start of
 * the stream) can be retried by `withRetry` and one after it cannot.
 */
async function openStep<Part, Step extends ModelStep<Part>>(
  adapter: ModelStepAdapter<Part, Step>,
  signal: AbortSignal,
): Promise<OpenedStep<Part, Step>> {
  const step = adapter.newStep();
  const iterator = (await adapter.stream(signal))[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return { step, first: [], rest: [] };
      const first = step.apply(next.value);
      if (first.length > 0) return { step, first, rest: { [Symbol.asyncIterator]: () => iterator } };
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
}
