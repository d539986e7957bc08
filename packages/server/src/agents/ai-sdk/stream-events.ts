import type { AssistantContent, FinishReason, TextStreamPart, ToolSet } from 'ai';
import type { EventOf, UsageTotals } from '@agent-chat/core';
import type { ModelPrice } from '../anthropic/prices.js';
import type { StepToolCall } from '../tool-loop.js';
import { aiSdkCostUsd, tokenCountsOf } from './prices.js';

/** One part of `streamText(...).fullStream`. */
export type StreamPart = TextStreamPart<ToolSet>;

type AssistantPart = Exclude<AssistantContent, string>[number];

/**
 * Turns one model step's `fullStream` parts (AI SDK Core, `streamText` with
 * tools given as schemas only, so the SDK executes none) into protocol events,
 * and collects the assistant content to send back and the step's tool calls:
 *
 * | AI SDK part        | our event                                          |
 * |--------------------|----------------------------------------------------|
 * | `text-delta`       | `assistant_chunk`                                  |
 * | `text-end`         | `assistant_stream_end` (when the block had text)   |
 * | `reasoning-delta`  | `thinking_chunk`                                   |
 * | `reasoning-end`    | `thinking_end`                                     |
 * | `tool-call`        | `tool_call` (an `invalid` call fails in the loop)  |
 * | `finish-step`      | `usage` (scope `step`, USD from the price table)   |
 * | `error`            | thrown (see `toAiSdkAgentError`)                   |
 *
 * `start`, `start-step`, `text-start`, `reasoning-start`, `tool-input-*`
 * (the SDK assembles the input; we take the finished `tool-call`), `finish`,
 * `source`, `file`, `raw` and the rest yield nothing. Feed it each part with
 * {@link StepState.apply}.
 */
export class StepState {
  readonly content: AssistantPart[] = [];
  readonly toolCalls: StepToolCall[] = [];
  finishReason: FinishReason | undefined;
  /** The step ended with an `abort` part. */
  aborted = false;
  #model: string;
  #text = new Map<string, { text: string; providerOptions?: Record<string, any> }>();
  #reasoning = new Map<string, { text: string; providerOptions?: Record<string, any> }>();

  constructor(
    readonly messageId: string,
    model: string,
    private readonly prices: Readonly<Record<string, ModelPrice>>,
  ) {
    this.#model = model;
  }

  /** @throws whatever an `error` part carries (an `APICallError`, an error object from the stream). */
  apply(part: StreamPart): StepOutput[] {
    const messageId = this.messageId;
    switch (part.type) {
      case 'text-start':
        this.#text.set(part.id, { text: '', ...(part.providerMetadata ? { providerOptions: part.providerMetadata } : {}) });
        return [];
      case 'text-delta': {
        const block = this.#text.get(part.id) ?? { text: '' };
        this.#text.set(part.id, block);
        if (part.text === '') return [];
        block.text += part.text;
        return [{ type: 'assistant_chunk', messageId, delta: part.text }];
      }
      case 'text-end': {
        const block = this.#text.get(part.id);
        this.#text.delete(part.id);
        if (!block || block.text === '') return [];
        // Providers reject whitespace-only text in history, as the Anthropic API does.
        if (block.text.trim() !== '') {
          this.content.push({ type: 'text', text: block.text, ...(block.providerOptions ? { providerOptions: block.providerOptions } : {}) });
        }
        return [{ type: 'assistant_stream_end', messageId }];
      }
      case 'reasoning-start':
        this.#reasoning.set(part.id, { text: '', ...(part.providerMetadata ? { providerOptions: part.providerMetadata } : {}) });
        return [];
      case 'reasoning-delta': {
        const block = this.#reasoning.get(part.id) ?? { text: '' };
        this.#reasoning.set(part.id, block);
        if (part.text === '') return [];
        block.text += part.text;
        return [{ type: 'thinking_chunk', messageId, delta: part.text }];
      }
      case 'reasoning-end': {
        const block = this.#reasoning.get(part.id);
        this.#reasoning.delete(part.id);
        if (!block) return [];
        // Provider metadata (e.g. Anthropic's signature) arrives on the end part; the next step of this turn sends it back.
        const providerOptions = part.providerMetadata ?? block.providerOptions;
        this.content.push({ type: 'reasoning', text: block.text, ...(providerOptions ? { providerOptions } : {}) });
        if (block.text === '') return [];
        return [{ type: 'thinking_end', messageId }];
      }
      case 'tool-call': {
        // A call the provider ran itself (e.g. a hosted web search) is its business, not our loop's.
        if (part.providerExecuted) return [];
        const invalid = 'invalid' in part && part.invalid === true;
        const input = part.input ?? {};
        this.content.push({
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input,
          ...(part.providerMetadata ? { providerOptions: part.providerMetadata } : {}),
        });
        this.toolCalls.push({
          toolCallId: part.toolCallId,
          name: part.toolName,
          input,
          ...(invalid ? { inputError: invalidInputMessage(part.error) } : {}),
        });
        return [{ type: 'tool_call', messageId, toolCallId: part.toolCallId, name: part.toolName, input }];
      }
      case 'finish-step': {
        this.finishReason = part.finishReason;
        this.#model = part.response?.modelId || this.#model;
        const counts = tokenCountsOf(part.usage);
        const usage: UsageTotals = { ...counts, costUsd: aiSdkCostUsd(this.#model, counts, this.prices) };
        // `cumulative` is filled in by the loop, which knows the session's totals.
        return [{ type: 'usage', scope: 'step', model: this.#model, usage, cumulative: usage }];
      }
      case 'abort':
        this.aborted = true;
        return [];
      case 'error':
        throw part.error;
      default:
        return [];
    }
  }
}

function invalidInputMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : error === undefined ? 'unreadable arguments' : String(error);
  return `The tool input could not be read: ${detail}`;
}

/**
 * The AI SDK's finish reason as our `stopReason`, in the Anthropic API's words
 * that every agent uses (`end_turn`, `tool_use`, `max_tokens`, `refusal`);
 * anything else as the SDK says it.
 */
export function stopReasonOf(reason: FinishReason | undefined): string {
  switch (reason) {
    case undefined:
    case 'stop':
      return 'end_turn';
    case 'tool-calls':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content-filter':
      return 'refusal';
    default:
      return reason;
  }
}

/** What a stream part turns into; the loop passes these on as `AgentOutput`. */
export type StepOutput =
  | EventOf<'assistant_chunk'>
  | EventOf<'assistant_stream_end'>
  | EventOf<'thinking_chunk'>
  | EventOf<'thinking_end'>
  | EventOf<'tool_call'>
  | EventOf<'usage'>;
