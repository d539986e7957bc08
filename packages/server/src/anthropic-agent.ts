import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  StopReason,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ApprovalDecision, ChatMessage, EventOf, PendingApproval, UsageTotals } from '@agent-chat/core';
import { AgentError, type Agent, type AgentContext, type AgentOutput } from './agent.js';
import { runToolCall, toolInputJsonSchema, toolNeedsApproval, type Tool, type ToolCallResult } from './tool.js';

/** Options of {@link anthropicAgent}. */
export interface AnthropicAgentOptions {
  /** A configured client. Default: `new Anthropic({ apiKey, baseURL })`, which reads `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`. */
  client?: Anthropic;
  /** Used only when `client` is not given. */
  apiKey?: string;
  /** Used only when `client` is not given. */
  baseURL?: string;
  /** Model id. Default `claude-sonnet-4-5`. */
  model?: string;
  /** System prompt. */
  system?: string;
  tools?: Tool<any, any>[];
  /** Most output tokens per model call (tokens). Default 8192; must exceed `thinking.budgetTokens`. */
  maxTokens?: number;
  /** Extended thinking with this budget (tokens). Off by default. */
  thinking?: { budgetTokens: number };
  /** Most model calls per turn; the turn stops with `max_iterations` after that many. Default 20. */
  maxIterations?: number;
}

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

/** Stable codes of {@link AnthropicAgentError}. */
export type AnthropicAgentErrorCode = 'overloaded' | 'rate_limited' | 'provider_error';

/**
 * A failed call to the Anthropic API, with a stable `code`:
 * `overloaded` (HTTP 529 or an `overloaded_error` in the stream), `rate_limited`
 * (HTTP 429) or `provider_error` (anything else: other HTTP errors, connection failures).
 * The SDK's error is the `cause`.
 */
export class AnthropicAgentError extends AgentError {
  declare readonly code: AnthropicAgentErrorCode;
  /** HTTP status of the failed request; undefined for errors inside a stream or without a response. */
  readonly status: number | undefined;

  constructor(code: AnthropicAgentErrorCode, message: string, options: { status?: number; retryable: boolean; cause?: unknown }) {
    super(code, message, options);
    this.name = 'AnthropicAgentError';
    this.status = options.status;
  }
}

/**
 * Prices in USD per million tokens, from anthropic.com/pricing. Cache writes
 * are the 5-minute rate (1.25x input), cache reads 0.1x input. Keys are model
 * ids without the date suffix; a model not listed costs 0 (unknown, not free).
 */
export const ANTHROPIC_PRICES_USD_PER_MTOK: Readonly<
  Record<string, { input: number; output: number; cacheWrite: number; cacheRead: number }>
> = {
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
};

/** Token counts of one model call (tokens). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Cost in USD of token counts on `model`, from {@link ANTHROPIC_PRICES_USD_PER_MTOK}; 0 for an unknown model. */
export function anthropicCostUsd(model: string, usage: TokenCounts): number {
  const price = ANTHROPIC_PRICES_USD_PER_MTOK[model.replace(/-(\d{8}|latest)$/, '')];
  if (!price) return 0;
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}

/**
 * An agent on the Anthropic Messages API (streaming, with tool use), following
 * Anthropic's "Streaming Messages" event sequence. Per turn it sends the
 * session's history (see {@link toAnthropicMessages}) plus the user's text, then:
 * `text_delta` -> `assistant_chunk`, end of a text block -> `assistant_stream_end`,
 * `thinking_delta` -> `thinking_chunk`, end of a thinking block -> `thinking_end`
 * with its signature, a finished `tool_use` block -> `tool_call`, and per model
 * call a `usage` event (scope `step`, cost from {@link ANTHROPIC_PRICES_USD_PER_MTOK}).
 * When the model stops for `tool_use` it asks the user about the calls that need
 * approval (all of one step at once), runs the tools, yields `tool_output` and calls
 * the model again, up to `maxIterations` calls; then yields `turn_complete` with
 * the API's `stop_reason`, or `max_iterations`.
 *
 * An interrupt (`ctx.signal`) aborts the request and ends the run quietly.
 *
 * @throws {AnthropicAgentError} (from the iteration) when the API call fails.
 */
export function anthropicAgent(options: AnthropicAgentOptions = {}): Agent {
  const model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
  const maxTokens = options.maxTokens ?? 8192;
  const maxIterations = options.maxIterations ?? 20;
  const tools = new Map((options.tools ?? []).map((tool) => [tool.name, tool]));
  const apiTools = [...tools.values()].map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: toolInputJsonSchema(tool) as { type: 'object'; [key: string]: unknown },
  }));
  let client = options.client;
  // Built on first use so that a missing key fails the turn, not the server's start.
  const getClient = () =>
    (client ??= new Anthropic({
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    }));

  return {
    name: 'anthropic',
    async *run(ctx: AgentContext): AsyncIterable<AgentOutput> {
      const messages = toAnthropicMessages(ctx.history);
      appendMessage(messages, { role: 'user', content: [{ type: 'text', text: ctx.input.text }] });
      let cumulative = ctx.usage ?? emptyUsage();
      try {
        for (let iteration = 0; iteration < maxIterations; iteration++) {
          const params: MessageCreateParamsStreaming = {
            model,
            max_tokens: maxTokens,
            messages,
            stream: true,
            ...(options.system !== undefined ? { system: options.system } : {}),
            ...(apiTools.length > 0 ? { tools: apiTools } : {}),
            ...(options.thinking ? { thinking: { type: 'enabled', budget_tokens: options.thinking.budgetTokens } } : {}),
          };
          const step = new StepState(ctx.messageId, model);
          const stream = await getClient().messages.create(params, { signal: ctx.signal });
          for await (const event of stream) {
            for (const output of step.apply(event)) {
              if (output.type === 'usage') {
                cumulative = addUsage(cumulative, output.usage);
                yield { ...output, cumulative };
              } else {
                yield output;
              }
            }
          }
          // On abort the SDK may end the stream early instead of throwing.
          if (ctx.signal.aborted) return;
          if (step.content.length > 0) messages.push({ role: 'assistant', content: step.content });
          if (step.stopReason !== 'tool_use' || step.toolCalls.length === 0) {
            yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: step.stopReason ?? 'end_turn' };
            return;
          }
          const results: ToolResultBlockParam[] = [];
          for await (const result of runToolCalls(step.toolCalls, tools, ctx)) {
            if (result.output) yield result.output;
            results.push(result.block);
          }
          messages.push({ role: 'user', content: results });
        }
        yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'max_iterations' };
      } catch (error) {
        // An interrupt is the runner's to report; whatever the SDK threw on abort is noise.
        if (ctx.signal.aborted) return;
        throw toAgentError(error);
      }
    },
  };
}

/** A tool call the model made in one step; `block` is the tool_use block as sent back to the API. */
interface StepToolCall {
  block: ToolUseBlockParam;
  /** Why the input could not be used (invalid JSON), if so. */
  inputError?: string;
}

/** Turns one model call's stream into protocol events and the assistant content to send back. */
class StepState {
  readonly content: ContentBlockParam[] = [];
  readonly toolCalls: StepToolCall[] = [];
  stopReason: StopReason | null = null;
  #model: string;
  #startUsage: Anthropic.Messages.Usage | undefined;
  #blocks = new Map<number, OpenBlock>();

  constructor(
    readonly messageId: string,
    model: string,
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
        const usage: UsageTotals = { ...counts, costUsd: anthropicCostUsd(this.#model, counts) };
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
        this.toolCalls.push({ block: toolUse, ...(inputError ? { inputError } : {}) });
        return [{ type: 'tool_call', messageId, toolCallId: block.id, name: block.name, input: toolUse.input }];
      }
      default:
        return [];
    }
  }
}

/** What a stream event turns into; the loop passes these on as {@link AgentOutput}. */
type StepOutput =
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

/**
 * Settles one step's tool calls in order: asks for approval of those that need
 * it (one request for all), then runs the rest. Yields per call the
 * `tool_output` event (none for a rejection: the runner already reported it)
 * and the tool_result block for the API.
 */
async function* runToolCalls(
  calls: StepToolCall[],
  tools: ReadonlyMap<string, Tool<any, any>>,
  ctx: AgentContext,
): AsyncIterable<{ output?: AgentOutput; block: ToolResultBlockParam }> {
  const approvals: PendingApproval[] = [];
  for (const { block, inputError } of calls) {
    const tool = tools.get(block.name);
    if (!tool || inputError) continue;
    const parsed = tool.input.safeParse(block.input);
    if (parsed.success && toolNeedsApproval(tool, parsed.data)) {
      approvals.push({ toolCallId: block.id, name: block.name, input: block.input, inputSchema: toolInputJsonSchema(tool) });
    }
  }
  const decisions = new Map<string, ApprovalDecision>();
  if (approvals.length > 0) {
    for (const decision of await ctx.requestApproval(approvals)) decisions.set(decision.toolCallId, decision);
  }

  for (const { block, inputError } of calls) {
    ctx.signal.throwIfAborted();
    const tool = tools.get(block.name);
    const needsDecision = approvals.some((a) => a.toolCallId === block.id);
    const decision = decisions.get(block.id);
    if (needsDecision && decision?.decision !== 'approve') {
      yield { block: toolResultBlock(block.id, { output: rejectionText(decision?.feedback), isError: true }) };
      continue;
    }
    let result: ToolCallResult;
    if (!tool) {
      const known = [...tools.keys()].join(', ') || 'none';
      result = { output: `Unknown tool "${block.name}". Available tools: ${known}.`, isError: true };
    } else if (inputError) {
      result = { output: inputError, isError: true };
    } else {
      const input = decision?.input !== undefined ? decision.input : block.input;
      // The API must see the input the tool actually ran with.
      if (decision?.input !== undefined && isPlainObject(decision.input)) block.input = decision.input;
      result = await runToolCall(tool, input, { sessionId: ctx.sessionId, toolCallId: block.id, signal: ctx.signal });
    }
    yield {
      output: { type: 'tool_output', toolCallId: block.id, output: result.output, isError: result.isError },
      block: toolResultBlock(block.id, result),
    };
  }
}

/** The tool result the model sees for a rejected call. */
function rejectionText(feedback: string | undefined): string {
  return feedback?.trim()
    ? `The user rejected this tool call. Feedback: ${feedback.trim()}`
    : 'The user rejected this tool call.';
}

function toolResultBlock(toolUseId: string, result: ToolCallResult): ToolResultBlockParam {
  const content =
    result.output === undefined ? '' : typeof result.output === 'string' ? result.output : JSON.stringify(result.output);
  return { type: 'tool_result', tool_use_id: toolUseId, content, ...(result.isError ? { is_error: true } : {}) };
}

/**
 * Converts the conversation view model into Messages API `messages` that the
 * API accepts: user text -> user text blocks; an assistant message -> one
 * assistant message per model step (signed thinking, text, tool_use with the
 * input the tool ran with), each followed by a user message of its tool_result
 * blocks (output, error, or the user's rejection feedback). Tool calls without
 * a result (interrupted, still running, awaiting approval, failed without output)
 * are left out, with nothing else, so every tool_use has its tool_result.
 * Unsigned thinking and empty text are dropped; consecutive messages of one
 * role are merged, since the API wants them to alternate.
 */
export function toAnthropicMessages(history: readonly ChatMessage[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const message of history) {
    if (message.role === 'user') {
      const content: ContentBlockParam[] = [];
      for (const part of message.parts) {
        if (part.type === 'text' && part.text.trim() !== '') content.push({ type: 'text', text: part.text });
      }
      if (content.length > 0) appendMessage(messages, { role: 'user', content });
      continue;
    }
    let assistant: ContentBlockParam[] = [];
    let results: ToolResultBlockParam[] = [];
    const flush = () => {
      if (assistant.length > 0) appendMessage(messages, { role: 'assistant', content: assistant });
      if (results.length > 0) appendMessage(messages, { role: 'user', content: results });
      assistant = [];
      results = [];
    };
    for (const part of message.parts) {
      if (part.type === 'tool_call') {
        const result = settledResult(part);
        if (!result) continue;
        assistant.push({ type: 'tool_use', id: part.toolCallId, name: part.name, input: asToolInput(part.input) });
        results.push(toolResultBlock(part.toolCallId, result));
        continue;
      }
      // Text or thinking after tool calls belongs to the model's next step.
      if (results.length > 0) flush();
      if (part.type === 'text' && part.text.trim() !== '') assistant.push({ type: 'text', text: part.text });
      if (part.type === 'thinking' && part.signature) {
        assistant.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      }
    }
    flush();
  }
  return messages;
}

function settledResult(part: Extract<ChatMessage['parts'][number], { type: 'tool_call' }>): ToolCallResult | undefined {
  if (part.state === 'rejected') return { output: rejectionText(part.feedback), isError: true };
  if ((part.state === 'done' || part.state === 'error') && part.output !== undefined) {
    return { output: part.output, isError: part.state === 'error' || part.isError === true };
  }
  return undefined;
}

/** Appends a message, merging it into the last one when both have the same role. */
function appendMessage(messages: MessageParam[], message: MessageParam & { content: ContentBlockParam[] }): void {
  const last = messages.at(-1);
  if (last && last.role === message.role && Array.isArray(last.content)) {
    (last.content as ContentBlockParam[]).push(...message.content);
  } else {
    messages.push({ role: message.role, content: [...message.content] } as MessageParam);
  }
}

/** The API wants a tool_use input to be a JSON object. */
function asToolInput(input: unknown): Record<string, unknown> {
  return isPlainObject(input) ? input : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function emptyUsage(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
}

function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/** Maps an SDK error to an {@link AnthropicAgentError} with a clean message; other errors pass unchanged. */
function toAgentError(error: unknown): unknown {
  if (!(error instanceof Anthropic.APIError)) return error;
  const body = error.error as { error?: { type?: string; message?: string } } | undefined;
  const type = body?.error?.type;
  const detail = body?.error?.message ?? error.message;
  const status = typeof error.status === 'number' ? error.status : undefined;
  const statusText = status ? ` (HTTP ${status})` : '';
  if (status === 529 || type === 'overloaded_error') {
    return new AnthropicAgentError('overloaded', `The Anthropic API is overloaded${statusText}: ${detail}. Try again in a moment.`, {
      status,
      retryable: true,
      cause: error,
    });
  }
  if (status === 429 || type === 'rate_limit_error') {
    return new AnthropicAgentError('rate_limited', `The Anthropic API rate limit was reached${statusText}: ${detail}. Try again later.`, {
      status,
      retryable: true,
      cause: error,
    });
  }
  const retryable = error instanceof Anthropic.APIConnectionError || (status !== undefined && status >= 500);
  return new AnthropicAgentError('provider_error', `The Anthropic API call failed${statusText}: ${detail}`, {
    status,
    retryable,
    cause: error,
  });
}
