import type { AssistantContent, FinishReason, TextStreamPart, ToolSet } from 'ai';
import type { StepOutput } from '../model-turn.js';
import { StepReader } from '../step-reader.js';
import { tokenCountsOf } from './prices.js';

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
 * {@link StepState.apply}. Its tool calls decide whether the turn goes on, not
 * the finish reason: some servers (e.g. Ollama) say `stop` with tool calls.
 */
export class StepState extends StepReader<StreamPart> {
  readonly content: AssistantPart[] = [];
  finishReason: FinishReason | undefined;
  /** Open text and reasoning blocks by id (each kind has its own ids). */
  #open = { text: new Map<string, OpenBlock>(), reasoning: new Map<string, OpenBlock>() };

  get stopReason(): string {
    return stopReasonOf(this.finishReason);
  }

  setToolInput(toolCallId: string, input: unknown): void {
    const part = this.content.find((p) => p.type === 'tool-call' && p.toolCallId === toolCallId);
    if (part?.type === 'tool-call') part.input = input;
  }

  /** @throws whatever an `error` part carries (an `APICallError`, an error object from the stream). */
  apply(part: StreamPart): StepOutput[] {
    switch (part.type) {
      case 'text-start':
      case 'reasoning-start': {
        const blocks = part.type === 'text-start' ? this.#open.text : this.#open.reasoning;
        blocks.set(part.id, { text: '', ...(part.providerMetadata ? { providerOptions: part.providerMetadata } : {}) });
        return [];
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const kind = part.type === 'text-delta' ? 'text' : 'reasoning';
        const block = this.#open[kind].get(part.id) ?? { text: '' };
        this.#open[kind].set(part.id, block);
        if (part.text === '') return [];
        block.text += part.text;
        return this.chunk(kind === 'text' ? 'text' : 'thinking', part.text);
      }
      case 'text-end': {
        const block = this.#close(this.#open.text, part.id);
        if (!block || block.text === '') return [];
        // Providers reject whitespace-only text in history, as the Anthropic API does.
        if (block.text.trim() !== '') {
          this.content.push({ type: 'text', text: block.text, ...(block.providerOptions ? { providerOptions: block.providerOptions } : {}) });
        }
        return [{ type: 'assistant_stream_end', messageId: this.messageId }];
      }
      case 'reasoning-end': {
        const block = this.#close(this.#open.reasoning, part.id);
        if (!block) return [];
        // Provider metadata (e.g. Anthropic's signature) arrives on the end part; the next step of this turn sends it back.
        const providerOptions = part.providerMetadata ?? block.providerOptions;
        this.content.push({ type: 'reasoning', text: block.text, ...(providerOptions ? { providerOptions } : {}) });
        if (block.text === '') return [];
        return [{ type: 'thinking_end', messageId: this.messageId }];
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
        return this.toolCall({
          toolCallId: part.toolCallId,
          name: part.toolName,
          input,
          ...(invalid ? { inputError: invalidInputMessage(part.error) } : {}),
        });
      }
      case 'finish-step':
        this.finishReason = part.finishReason;
        this.model = part.response?.modelId || this.model;
        return this.usage(tokenCountsOf(part.usage));
      case 'abort':
        this.aborted = true;
        return [];
      case 'error':
        throw part.error;
      default:
        return [];
    }
  }

  #close(blocks: Map<string, OpenBlock>, id: string): OpenBlock | undefined {
    const block = blocks.get(id);
    blocks.delete(id);
    return block;
  }
}

/** A text or reasoning block while it streams. */
interface OpenBlock {
  text: string;
  providerOptions?: Record<string, any>;
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
