import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  StopReason,
  ThinkingConfigParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { addUsage, ZERO_USAGE, type ApprovalDecision, type ChatMessage, type EventOf, type PendingApproval, type UsageTotals } from '@agent-chat/core';
import type { Agent, AgentContext, AgentHealth, AgentOutput, ModelInfo, SummarizeContext } from './agent.js';
import {
  AnthropicAgentError,
  classifyAnthropicError,
  createMessage,
  lazyAnthropicClient,
  messageText,
  toAnthropicAgentError,
  type AnthropicClientOptions,
} from './anthropic-call.js';
import { EventQueue } from './event-queue.js';
import { anthropicCostUsd, ANTHROPIC_PRICES_USD_PER_MTOK, type ModelPrice, type TokenCounts } from './prices.js';
import { DEFAULT_RESEARCH_MODEL } from './research-tool.js';
import { retryDelayMs, waitForRetry, type RetryOptions } from './retry.js';
import { approvalInputValidator, runToolCall, toolInputJsonSchema, toolNeedsApproval, type Tool, type ToolCallResult, type ToolContext } from './tool.js';

/** Options of {@link anthropicAgent}. */
export interface AnthropicAgentOptions extends AnthropicClientOptions {
  /** Model id when the session chose none (`ctx.model`). Default {@link DEFAULT_ANTHROPIC_MODEL}. */
  model?: string;
  /** Models offered for `GET /config/model`. Default {@link ANTHROPIC_MODELS}, with `model` first. */
  models?: readonly ModelInfo[];
  /** The small model that writes session titles. Default {@link DEFAULT_TITLE_MODEL}. */
  titleModel?: string;
  /** System prompt. */
  system?: string;
  tools?: Tool<any, any>[];
  /** Most output tokens per model call (tokens). Default 8192; must exceed a thinking budget. */
  maxTokens?: number;
  /**
   * Extended thinking. `{ budgetTokens }` is manual thinking with that budget
   * (tokens; models up to the 4.x family); newer models take the API's own
   * config, e.g. `{ type: 'adaptive' }`. Off by default.
   */
  thinking?: { budgetTokens: number } | ThinkingConfigParam;
  /** Most model calls per turn; the turn stops with `max_iterations` after that many. Default 20. */
  maxIterations?: number;
  /**
   * Retries of a model call on overload (529), rate limits (429), 5xx and
   * network errors: exponential backoff with jitter, `retry-after` honoured.
   * Default: 4 attempts, 0.5 s doubling, at most 30 s per wait. The SDK's own
   * retries are turned off, so this is the only policy.
   */
  retry?: RetryOptions;
  /** Called before each retry wait, e.g. to log it. */
  onRetry?(info: { attempt: number; delayMs: number; error: AnthropicAgentError }): void;
  /** Prices (USD per MTok) by model id, merged over {@link ANTHROPIC_PRICES_USD_PER_MTOK}. */
  prices?: Readonly<Record<string, ModelPrice>>;
}

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
/** Titles are a few words: a small, fast model is enough. */
export const DEFAULT_TITLE_MODEL = DEFAULT_RESEARCH_MODEL;

/** The model ids the installed `@anthropic-ai/sdk` knows (its `Model` union without the open `string`). */
type KnownModelId<M = Anthropic.Messages.Model> = M extends string ? (string extends M ? never : M) : never;

/** The Claude models {@link anthropicAgent} offers by default, the default first. Ids are checked against the SDK's `Model` type. */
export const ANTHROPIC_MODELS: readonly ModelInfo[] = [
  { id: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5', provider: 'anthropic', recommended: true },
  { id: 'claude-opus-5-5', label: 'Claude Opus 5.5', provider: 'anthropic' },
  { id: 'claude-haiku-5-5', label: 'Claude Haiku 5.5', provider: 'anthropic' },
  { id: 'claude-fable-5-1', label: 'Claude Fable 5.1', provider: 'anthropic' },
  { id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', provider: 'anthropic' },
] satisfies readonly (ModelInfo & { id: KnownModelId })[];

/**
 * An agent on the Anthropic Messages API (streaming, with tool use), following
 * Anthropic's "Streaming Messages" event sequence. Per turn it sends the
 * session's history (see {@link toAnthropicMessages}) plus the user's text to
 * `ctx.model` (else `options.model`), then:
 * `text_delta` -> `assistant_chunk`, end of a text block -> `assistant_stream_end`,
 * `thinking_delta` -> `thinking_chunk`, end of a thinking block -> `thinking_end`
 * with its signature, a finished `tool_use` block -> `tool_call`, and per model
 * call a `usage` event (scope `step`; USD from the price table).
 * When the model stops for `tool_use` it asks the user about the calls that need
 * approval (all of one step at once), runs that step's tools concurrently
 * (yielding `tool_state_change` running for approved ones, then `tool_log`
 * progress and `tool_output` as they come; results go back in call order), and
 * calls the model again, up to `maxIterations` calls. The turn ends with a
 * `usage` event of scope `turn` and `turn_complete` with the API's `stop_reason`
 * (or `max_iterations`).
 *
 * A model call that fails before anything of it was yielded is retried (see
 * `retry`); once text has streamed, the turn ends with the error instead, and
 * the history stays valid for the next turn: the partial text is kept as sent,
 * unfinished tool calls and unsigned thinking are left out of later requests.
 * An interrupt (`ctx.signal`) aborts the request (or a retry wait) and ends the run quietly.
 *
 * @throws {AnthropicAgentError} (from the iteration) when a model call fails for
 *   good: `overloaded`, `rate_limited`, `network_error` (all `retryable`) or `provider_error`.
 */
export function anthropicAgent(options: AnthropicAgentOptions = {}): Agent & {
  readonly models: readonly ModelInfo[];
  summarize(ctx: SummarizeContext): Promise<string>;
  title(text: string, options: { signal: AbortSignal; model?: string }): Promise<string>;
  checkHealth(options: { signal: AbortSignal; model?: string }): Promise<AgentHealth>;
} {
  const defaultModel = options.model ?? DEFAULT_ANTHROPIC_MODEL;
  const maxTokens = options.maxTokens ?? 8192;
  const maxIterations = options.maxIterations ?? 20;
  const prices = { ...ANTHROPIC_PRICES_USD_PER_MTOK, ...options.prices };
  const tools = new Map((options.tools ?? []).map((tool) => [tool.name, tool]));
  const apiTools = [...tools.values()].map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: toolInputJsonSchema(tool) as { type: 'object'; [key: string]: unknown },
  }));
  const thinking: ThinkingConfigParam | undefined =
    options.thinking === undefined
      ? undefined
      : 'budgetTokens' in options.thinking
        ? { type: 'enabled', budget_tokens: options.thinking.budgetTokens }
        : options.thinking;
  const getClient = lazyAnthropicClient(options);
  const baseModels = options.models ?? ANTHROPIC_MODELS;
  const models = [
    baseModels.find((m) => m.id === defaultModel) ?? { id: defaultModel, label: defaultModel, provider: 'anthropic' },
    ...baseModels.filter((m) => m.id !== defaultModel),
  ];
  const retryOptions = options.retry ?? {};

  return {
    name: 'anthropic',
    models,

    async *run(ctx: AgentContext): AsyncIterable<AgentOutput> {
      const model = ctx.model ?? defaultModel;
      const messages = toAnthropicMessages(ctx.history);
      appendMessage(messages, { role: 'user', content: [{ type: 'text', text: ctx.input.text }] });
      let cumulative = ctx.usage ?? { ...ZERO_USAGE };
      let turnUsage = { ...ZERO_USAGE };
      let usageSeen = false;
      /** Gives a step usage event its session total, and keeps the turn's. */
      const account = (output: EventOf<'usage'>): AgentOutput => {
        usageSeen = true;
        turnUsage = addUsage(turnUsage, output.usage);
        cumulative = addUsage(cumulative, output.usage);
        return { ...output, cumulative };
      };
      const turnUsageEvent = (): AgentOutput => ({ type: 'usage', scope: 'turn', model, usage: turnUsage, cumulative });

      try {
        for (let iteration = 0; iteration < maxIterations; iteration++) {
          const params: MessageCreateParamsStreaming = {
            model,
            max_tokens: maxTokens,
            messages,
            stream: true,
            ...(options.system !== undefined ? { system: options.system } : {}),
            ...(apiTools.length > 0 ? { tools: apiTools } : {}),
            ...(thinking ? { thinking } : {}),
          };
          let step: StepState;
          for (let attempt = 1; ; attempt++) {
            step = new StepState(ctx.messageId, model, prices);
            let yielded = false;
            try {
              const stream = await getClient().messages.create(params, { signal: ctx.signal, maxRetries: 0 });
              for await (const event of stream) {
                for (const output of step.apply(event)) {
                  yielded = true;
                  yield output.type === 'usage' ? account(output) : output;
                }
              }
              break;
            } catch (error) {
              if (ctx.signal.aborted) return;
              // What the user has seen cannot be taken back: a retry would show it twice.
              const delayMs = yielded ? undefined : retryDelayMs(attempt, classifyAnthropicError(error), retryOptions);
              if (delayMs === undefined) throw error;
              const mapped = toAnthropicAgentError(error);
              if (mapped instanceof AnthropicAgentError) options.onRetry?.({ attempt, delayMs, error: mapped });
              if (!(await waitForRetry(delayMs, ctx.signal))) return;
            }
          }
          // On abort the SDK may end the stream early instead of throwing.
          if (ctx.signal.aborted) return;
          if (step.content.length > 0) messages.push({ role: 'assistant', content: step.content });
          if (step.stopReason !== 'tool_use' || step.toolCalls.length === 0) {
            if (usageSeen) yield turnUsageEvent();
            yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: step.stopReason ?? 'end_turn' };
            return;
          }
          const results: ToolResultBlockParam[] = [];
          for await (const item of runToolCalls(step.toolCalls, tools, ctx)) {
            if ('block' in item) results.push(item.block);
            else yield item.event.type === 'usage' ? account(item.event) : item.event;
          }
          if (ctx.signal.aborted) return;
          messages.push({ role: 'user', content: results });
        }
        if (usageSeen) yield turnUsageEvent();
        yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'max_iterations' };
      } catch (error) {
        // An interrupt is the runner's to report; whatever the SDK threw on abort is noise.
        if (ctx.signal.aborted) return;
        // The tokens spent before the failure still count.
        if (usageSeen) yield turnUsageEvent();
        throw toAnthropicAgentError(error);
      }
    },

    /**
     * Summarises `ctx.messages` with one model call on the session's model, for
     * compaction. @throws {AnthropicAgentError} when the call fails or returns no text.
     */
    async summarize(ctx: SummarizeContext): Promise<string> {
      const message = await createMessage(
        getClient(),
        {
          model: ctx.model ?? defaultModel,
          max_tokens: 2048,
          system:
            'You compress conversations. Summarise the conversation you are given so that an assistant can continue it ' +
            'without the original: the user\'s goals, decisions made, facts and results found (tool outputs, file names, ' +
            'numbers), and open questions. Write plain prose and short lists, at most 400 words. Output only the summary.',
          messages: [{ role: 'user', content: `<conversation>\n${transcript(ctx.messages)}\n</conversation>` }],
        },
        { signal: ctx.signal, retry: retryOptions },
      );
      const summary = messageText(message);
      if (!summary) throw new AnthropicAgentError('provider_error', 'The model returned an empty summary.', { retryable: true });
      return summary;
    },

    /**
     * About six words naming a conversation that starts with `text`, from one
     * call to `titleModel` (the session's model is not used: a title needs no more).
     * @throws {AnthropicAgentError} when the call fails or returns no text.
     */
    async title(text: string, { signal }: { signal: AbortSignal; model?: string }): Promise<string> {
      const message = await createMessage(
        getClient(),
        {
          model: options.titleModel ?? DEFAULT_TITLE_MODEL,
          max_tokens: 32,
          system:
            'Write a title of at most six words for a conversation that starts with the user message below. ' +
            'Use the message\'s language. Output only the title: no quotes, no final period.',
          messages: [{ role: 'user', content: text.slice(0, 4000) }],
        },
        { signal, retry: retryOptions },
      );
      const title = cleanTitle(messageText(message));
      if (!title) throw new AnthropicAgentError('provider_error', 'The model returned an empty title.', { retryable: true });
      return title;
    },

    /** A 1-token probe of `model` (default: the agent's), without retries; `latencyMs` is its round trip. Never throws. */
    async checkHealth({ signal, model }: { signal: AbortSignal; model?: string }): Promise<AgentHealth> {
      const probeModel = model ?? defaultModel;
      const started = performance.now();
      try {
        await createMessage(
          getClient(),
          { model: probeModel, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
          { signal, retry: { maxAttempts: 1 } },
        );
        return { ok: true, model: probeModel, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const mapped = toAnthropicAgentError(error);
        return {
          ok: false,
          model: probeModel,
          latencyMs: Math.round(performance.now() - started),
          error: mapped instanceof AnthropicAgentError ? mapped.message : 'The health probe failed.',
        };
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

/** What {@link runToolCalls} yields: events as they happen, and one tool_result block per call, in call order. */
type ToolStepItem =
  | { event: EventOf<'tool_state_change'> | EventOf<'tool_output'> | EventOf<'tool_log'> | EventOf<'usage'> }
  | { block: ToolResultBlockParam };

/**
 * Settles one step's tool calls: asks for approval of those that need it (one
 * request for all), then runs every runnable call at once. Yields, as they
 * happen, `tool_state_change` running for approved calls, the tools' `tool_log`
 * progress and `usage` (through {@link ToolContext}) and each `tool_output`
 * (none for a rejection: the runner already reported it); then the tool_result
 * blocks for the API, in the order of the calls. Returns early, leaving tools to
 * notice the aborted signal, when the turn is interrupted.
 */
async function* runToolCalls(
  calls: StepToolCall[],
  tools: ReadonlyMap<string, Tool<any, any>>,
  ctx: AgentContext,
): AsyncIterable<ToolStepItem> {
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
    const toolsByCallId = new Map(approvals.map((a) => [a.toolCallId, tools.get(a.name)!]));
    const validateInput = approvalInputValidator(toolsByCallId);
    for (const decision of await ctx.requestApproval(approvals, { validateInput })) {
      decisions.set(decision.toolCallId, decision);
    }
  }
  ctx.signal.throwIfAborted();

  type StepEvent = Extract<ToolStepItem, { event: unknown }>['event'];
  const queue = new EventQueue<StepEvent>();
  const push = (event: StepEvent) => queue.push(event);
  const results: (ToolCallResult | undefined)[] = calls.map(() => undefined);
  let running = 0;

  calls.forEach(({ block, inputError }, index) => {
    const tool = tools.get(block.name);
    const needsDecision = approvals.some((a) => a.toolCallId === block.id);
    const decision = decisions.get(block.id);
    if (needsDecision && decision?.decision !== 'approve') {
      results[index] = { output: rejectionText(decision?.feedback), isError: true };
      return;
    }
    let settled: Promise<ToolCallResult> | ToolCallResult;
    if (!tool) {
      const known = [...tools.keys()].join(', ') || 'none';
      settled = { output: `Unknown tool "${block.name}". Available tools: ${known}.`, isError: true };
    } else if (inputError) {
      settled = { output: inputError, isError: true };
    } else {
      const input = decision?.input !== undefined ? decision.input : block.input;
      // The API must see the input the tool actually ran with.
      if (decision?.input !== undefined && isPlainObject(decision.input)) block.input = decision.input;
      if (needsDecision) push({ type: 'tool_state_change', toolCallId: block.id, state: 'running' });
      const toolCtx: ToolContext = {
        sessionId: ctx.sessionId,
        toolCallId: block.id,
        signal: ctx.signal,
        log: (agent) => push({ type: 'tool_log', toolCallId: block.id, agent }),
        reportUsage: ({ model, usage }) => push({ type: 'usage', scope: 'step', model, usage, cumulative: usage }),
      };
      settled = runToolCall(tool, input, toolCtx);
    }
    running++;
    void Promise.resolve(settled).then((result) => {
      results[index] = result;
      push({ type: 'tool_output', toolCallId: block.id, output: result.output, isError: result.isError });
      if (--running === 0) queue.close();
    });
  });
  if (running === 0) queue.close();

  for await (const event of queue.drain(ctx.signal)) yield { event };
  if (ctx.signal.aborted) return;
  for (const [index, { block }] of calls.entries()) yield { block: toolResultBlock(block.id, results[index]!) };
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
 * role are merged, since the API wants them to alternate. A summary message
 * (from compaction) is sent as user text.
 */
export function toAnthropicMessages(history: readonly ChatMessage[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const message of history) {
    if (message.role === 'user' || message.summary) {
      const content: ContentBlockParam[] = [];
      for (const part of message.parts) {
        if (part.type !== 'text' || part.text.trim() === '') continue;
        content.push({ type: 'text', text: message.summary ? `Summary of the earlier conversation:\n\n${part.text}` : part.text });
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

/** The conversation as plain text for summarising: one line per part, tool calls with their (clipped) output. */
function transcript(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    const who = message.summary ? 'Earlier summary' : message.role === 'user' ? 'User' : 'Assistant';
    for (const part of message.parts) {
      if (part.type === 'text' && part.text.trim()) lines.push(`${who}: ${part.text.trim()}`);
      if (part.type === 'tool_call') {
        const output = part.output === undefined ? '' : typeof part.output === 'string' ? part.output : JSON.stringify(part.output);
        lines.push(`Tool call ${part.name}(${JSON.stringify(part.input)}) -> ${part.state}${output ? `: ${clip(output, 2000)}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}

/** The first line of a model's title, without quotes, markdown or a final period, at most 80 characters. */
function cleanTitle(raw: string): string {
  const line = raw.split('\n').find((l) => l.trim() !== '') ?? '';
  const title = line
    .replace(/^#+\s*/, '')
    .replace(/^(title:\s*)/i, '')
    .trim()
    .replace(/^["'“”‘’*`]+|["'“”‘’*`]+$/g, '')
    .replace(/[.。]+$/, '')
    .trim();
  return clip(title, 80);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The API wants a tool_use input to be a JSON object. */
function asToolInput(input: unknown): Record<string, unknown> {
  return isPlainObject(input) ? input : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
