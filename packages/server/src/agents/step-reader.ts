import type { UsageTotals } from '@agent-chat/core';
import { costUsd, type ModelPrice, type TokenCounts } from './model-price.js';
import type { ModelStep, StepOutput } from './model-turn.js';
import type { StepToolCall } from './tool-loop.js';

/**
 * What every provider's reader of one model call's stream shares (see
 * {@link ModelStep}): the turn's message id on every event, the model that
 * answers (a stream may name it more precisely than the request did), the
 * events made the same way for every provider, and the step's tool calls.
 * A subclass turns its SDK's stream parts into these events in `apply`.
 */
export abstract class StepReader<Part, Call extends StepToolCall = StepToolCall> implements ModelStep<Part> {
  /** Every tool call the model made in this step, in order. */
  protected readonly calls: Call[] = [];
  aborted = false;

  constructor(
    readonly messageId: string,
    protected model: string,
    private readonly prices: Readonly<Record<string, ModelPrice>>,
  ) {}

  abstract apply(part: Part): StepOutput[];
  abstract readonly stopReason: string;
  abstract setToolInput(toolCallId: string, input: unknown): void;

  get toolCalls(): readonly Call[] {
    return this.calls;
  }

  /** A piece of streamed text (`assistant_chunk`) or thinking (`thinking_chunk`). */
  protected chunk(kind: 'text' | 'thinking', delta: string): StepOutput[] {
    return [{ type: kind === 'text' ? 'assistant_chunk' : 'thinking_chunk', messageId: this.messageId, delta }];
  }

  /** Keeps a finished tool call for the tool loop; its `tool_call` event. */
  protected toolCall(call: Call): StepOutput[] {
    this.calls.push(call);
    return [{ type: 'tool_call', messageId: this.messageId, toolCallId: call.toolCallId, name: call.name, input: call.input }];
  }

  /** The step's `usage` event, priced from the table; `cumulative` is filled in by the driver, which knows the session's totals. */
  protected usage(counts: TokenCounts): StepOutput[] {
    const usage: UsageTotals = { ...counts, costUsd: costUsd(this.model, counts, this.prices) };
    return [{ type: 'usage', scope: 'step', model: this.model, usage, cumulative: usage }];
  }
}
