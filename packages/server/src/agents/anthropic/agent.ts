import type Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent, ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import type { Agent, AgentContext, AgentHealth, AgentOutput, ModelInfo, SummarizeContext } from '../agent.js';
import { cleanTitle } from '../heuristic-title.js';
import type { ModelPrice } from '../model-price.js';
import { runModelTurn, type ModelStepAdapter } from '../model-turn.js';
import type { RetryOptions } from '../retry.js';
import { toolInputJsonSchema, type Tool } from '../tool.js';
import {
  AnthropicAgentError,
  createMessage,
  lazyAnthropicClient,
  messageText,
  toAnthropicAgentError,
  type AnthropicClientOptions,
} from './call.js';
import { ANTHROPIC_ATTACHMENT_TYPES, anthropicTurnMessages, appendMessage, toAnthropicMessages, toolResultBlock } from './history.js';
import { ANTHROPIC_PRICES_USD_PER_MTOK } from './prices.js';
import { summaryRequest, titleRequest } from './prompts.js';
import { DEFAULT_RESEARCH_MODEL } from './research-tool.js';
import { StepState } from './stream-events.js';

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
 * The steps run on the model-turn driver every model agent shares
 * (`runModelTurn`): when the model stops for `tool_use`, the shared tool loop
 * (`runTools`) settles the step's calls (one approval request for those that
 * need it, then all at once, with `tool_state_change`, `tool_log` and
 * `tool_output` as they come; results go back in call order), and it calls the
 * model again, up to `maxIterations` calls. The turn ends with a `usage` event
 * of scope `turn` and `turn_complete` with the API's `stop_reason` (or `max_iterations`).
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
    attachments: { mediaTypes: ANTHROPIC_ATTACHMENT_TYPES },

    async *run(ctx: AgentContext): AsyncIterable<AgentOutput> {
      const model = ctx.model ?? defaultModel;
      const messages = await anthropicTurnMessages(ctx);
      const adapter: ModelStepAdapter<RawMessageStreamEvent, StepState> = {
        newStep: () => new StepState(ctx.messageId, model, prices),
        stream: (signal) =>
          getClient().messages.create(
            {
              model,
              max_tokens: maxTokens,
              messages,
              stream: true,
              ...(options.system !== undefined ? { system: options.system } : {}),
              ...(apiTools.length > 0 ? { tools: apiTools } : {}),
              ...(thinking ? { thinking } : {}),
            },
            { signal, maxRetries: 0 },
          ),
        appendStep(step, outcomes) {
          messages.push({ role: 'assistant', content: step.content });
          messages.push({ role: 'user', content: outcomes.map((o) => toolResultBlock(o.call.toolCallId, o.result)) });
        },
        toAgentError: toAnthropicAgentError,
      };
      yield* runModelTurn(ctx, adapter, {
        model,
        tools,
        maxIterations,
        retry: retryOptions,
        onRetry: options.onRetry?.bind(options),
      });
    },

    /**
     * Summarises `ctx.messages` with one model call on the session's model, for
     * compaction. @throws {AnthropicAgentError} when the call fails or returns no text.
     */
    async summarize(ctx: SummarizeContext): Promise<string> {
      const message = await createMessage(getClient(), summaryRequest(ctx.model ?? defaultModel, ctx.messages), {
        signal: ctx.signal,
        retry: retryOptions,
      });
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
      const message = await createMessage(getClient(), titleRequest(options.titleModel ?? DEFAULT_TITLE_MODEL, text), {
        signal,
        retry: retryOptions,
      });
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
