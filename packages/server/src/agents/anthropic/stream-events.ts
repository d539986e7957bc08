import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, RawMessageStreamEvent, StopReason, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { StepOutput } from '../model-turn.js';
import { StepReader } from '../step-reader.js';
import type { StepToolCall } from '../tool-loop.js';
import { asToolInput, isPlainObject } from './history.js';

/** A tool call the model made in one step, for the tool loop; `block` is the tool_use block as sent back to the API. */
export interface AnthropicToolCall extends StepToolCall {
  block: ToolUseBlockParam;
}

/**
 * Turns one model call's stream (Anthropic's "Streaming Messages" events) into
 * protocol events, and collects the assistant content to send back and the
 * step's tool calls. Feed it each event with {@link StepState.apply}.
 */
export class StepState extends StepReader<RawMessageStreamEvent, AnthropicToolCall> {
  readonly content: ContentBlockParam[] = [];
  #stopReason: StopReason | null = null;
  #startUsage: Anthropic.Messages.Usage | undefined;
  #blocks = new Map<number, OpenBlock>();

  get stopReason(): string {
    return this.#stopReason ?? 'end_turn';
  }

  /** The calls go to the tools only when the model stopped for them (not, e.g., at `max_tokens` in the middle of one). */
  override get toolCalls(): readonly AnthropicToolCall[] {
    return this.#stopReason === 'tool_use' ? this.calls : [];
  }

  setToolInput(toolCallId: string, input: unknown): void {
    const call = this.calls.find((c) => c.toolCallId === toolCallId);
    // The API wants a tool_use input to be a JSON object.
    if (call && isPlainObject(input)) call.block.input = input;
  }

  apply(event: RawMessageStreamEvent): StepOutput[] {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model || this.model;
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
          return this.chunk('text', delta.text);
        }
        if (block?.type === 'thinking' && delta.type === 'thinking_delta') {
          block.thinking += delta.thinking;
          return this.chunk('thinking', delta.thinking);
        }
        if (block?.type === 'thinking' && delta.type === 'signature_delta') block.signature += delta.signature;
        else if (block?.type === 'tool_use' && delta.type === 'input_json_delta') block.json += delta.partial_json;
        return [];
      }
      case 'content_block_stop':
        return this.#closeBlock(event.index);
      case 'message_delta': {
        this.#stopReason = event.delta.stop_reason ?? this.#stopReason;
        const start = this.#startUsage;
        return this.usage({
          inputTokens: event.usage.input_tokens ?? start?.input_tokens ?? 0,
          outputTokens: event.usage.output_tokens,
          cacheReadTokens: event.usage.cache_read_input_tokens ?? start?.cache_read_input_tokens ?? 0,
          cacheWriteTokens: event.usage.cache_creation_input_tokens ?? start?.cache_creation_input_tokens ?? 0,
        });
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
        return this.toolCall({ block: toolUse, toolCallId: block.id, name: block.name, input: toolUse.input, ...(inputError ? { inputError } : {}) });
      }
      default:
        return [];
    }
  }
}

type OpenBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string };

