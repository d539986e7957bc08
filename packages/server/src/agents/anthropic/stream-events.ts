import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, RawMessageStreamEvent, StopReason, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { EventOf, UsageTotals } from '@agent-chat/core';
import type { StepToolCall } from '../tool-loop.js';
import { asToolInput } from './history.js';
import { anthropicCostUsd, type ModelPrice, type TokenCounts } from './prices.js';

/** A tool call the model made in one step, for the tool loop; `block` is the tool_use block as sent back to the API. */
export interface AnthropicToolCall extends StepToolCall {
  block: ToolUseBlockParam;
}

/**
 * Turns one model call's stream (Anthropic's "Streaming Messages" events) into
 * protocol events, and collects the assistant content to send back and the
 * step's tool calls. Feed it each event with {@link StepState.apply}.
 */
export class StepState {
  readonly content: ContentBlockParam[] = [];
  readonly toolCalls: AnthropicToolCall[] = [];
  stopReason: StopReason | null = null;
  #model: string;
  #startUsage: Anthropic.Messages.Usage | undefined;
  #blocks = new Map<number, OpenBlock>();

  constructor(
    readonly messageId: string,
    model: string,
    private readonly prices: Readonly<Record<string, ModelPrice>>,
  ) {
    this.#model = model;
  }

  apply(event: RawMessageStreamEvent): StepOutput[] {
    const messageId = this.messageId;
    switch (event.type) {
      case 'message_start':
        this.#model = event.message.model || this.#model;
        this.#startUsage = event.message.usage;
        return [];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') this.#blocks.set(event.index, { type: 'text', text: '' });
        else if (block.type === 'thinking') this.#blocks.set(event.index, { type: 'thinking', thinking: '', signature: '' });
        else if (block.type === 'redacted_thinking') this.#blocks.set(event.index, { type: 'redacted_thinking', data: block.data });
        else if (block.type === 'tool_use') this.#blocks.set(event.index, { type: 'tool_use', id: block.id, name: block.name, json: '' });
        return [];
      }
      case 'content_block_delta': {
        const block = this.#blocks.get(event.index);
        const delta = event.delta;
        if (block?.type === 'text' && delta.type === 'text_delta') {
          block.text += delta.text;
          return [{ type: 'assistant_chunk', messageId, delta: delta.text }];
        }
        if (block?.type === 'thinking' && delta.type === 'thinking_delta') {
          block.thinking += delta.thinking;
          return [{ type: 'thinking_chunk', messageId, delta: delta.thinking }];
        }
        if (block?.type === 'thinking' && delta.type === 'signature_delta') block.signature += delta.signature;
        else if (block?.type === 'tool_use' && delta.type === 'input_json_delta') block.json += delta.partial_json;
        return [];
      }
      case 'content_block_stop':
        return this.#closeBlock(event.index);
      case 'message_delta': {
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        const start = this.#startUsage;
        const counts: TokenCounts = {
          inputTokens: event.usage.input_tokens ?? start?.input_tokens ?? 0,
          outputTokens: event.usage.output_tokens,
          cacheReadTokens: event.usage.cache_read_input_tokens ?? start?.cache_read_input_tokens ?? 0,
          cacheWriteTokens: event.usage.cache_creation_input_tokens ?? start?.cache_creation_input_tokens ?? 0,
        };
        const usage: UsageTotals = { ...counts, costUsd: anthropicCostUsd(this.#model, counts, this.prices) };
        // `cumulative` is filled in by the loop, which knows the session's totals.
        return [{ type: 'usage', scope: 'step', model: this.#model, usage, cumulative: usage }];
      }
      default:
        return [];
    }
  }

  #closeBlock(index: number): StepOutput[] {
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    const messageId = this.messageId;
    switch (block?.type) {
      case 'text':
        if (block.text === '') return [];
        // The API rejects whitespace-only text blocks in history.
        if (block.text.trim() !== '') this.content.push({ type: 'text', text: block.text });
        return [{ type: 'assistant_stream_end', messageId }];
      case 'thinking':
        // Unsigned thinking cannot be sent back, and the API would reject it.
        if (block.signature) this.content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
        return [{ type: 'thinking_end', messageId, ...(block.signature ? { signature: block.signature } : {}) }];
      case 'redacted_thinking':
        this.content.push({ type: 'redacted_thinking', data: block.data });
        return [];
      case 'tool_use': {
        let input: unknown = {};
        let inputError: string | undefined;
        try {
          input = block.json.trim() === '' ? {} : JSON.parse(block.json);
        } catch (error) {
          inputError = `The tool input is not valid JSON (${(error as Error).message}): ${block.json}`;
        }
        const toolUse: ToolUseBlockParam = { type: 'tool_use', id: block.id, name: block.name, input: asToolInput(input) };
        this.content.push(toolUse);
        this.toolCalls.push({
          block: toolUse,
          toolCallId: block.id,
          name: block.name,
          input: toolUse.input,
          ...(inputError ? { inputError } : {}),
        });
        return [{ type: 'tool_call', messageId, toolCallId: block.id, name: block.name, input: toolUse.input }];
      }
      default:
        return [];
    }
  }
}

/** What a stream event turns into; the loop passes these on as {@link AgentOutput}. */
export type StepOutput =
  | EventOf<'assistant_chunk'>
  | EventOf<'assistant_stream_end'>
  | EventOf<'thinking_chunk'>
  | EventOf<'thinking_end'>
  | EventOf<'tool_call'>
  | EventOf<'usage'>;

type OpenBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string };

