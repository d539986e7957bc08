import { jsonSchema, streamText, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import type { Agent, AgentContext, AgentHealth, AgentOutput, ModelInfo, SummarizeContext } from '../agent.js';
import { cleanTitle } from '../heuristic-title.js';
import type { ModelPrice } from '../model-price.js';
import { SUMMARY_SYSTEM_PROMPT, summaryInput, TITLE_SYSTEM_PROMPT, titleInput } from '../prompts.js';
import { runModelTurn, type ModelStepAdapter } from '../model-turn.js';
import type { RetryOptions } from '../retry.js';
import { toolInputJsonSchema, type Tool } from '../tool.js';
import { AiSdkAgentError, generateOnce, toAiSdkAgentError } from './call.js';
import { AI_SDK_ATTACHMENT_TYPES, modelTurnMessages, toolResultPart } from './history.js';
import { OPENAI_PRICES_USD_PER_MTOK } from './prices.js';
import { StepState, type StreamPart } from './stream-events.js';

/** Options of {@link aiSdkAgent}. */
export interface AiSdkAgentOptions {
  /**
   * The model: any AI SDK language model, e.g. `openai('gpt-4.1')`,
   * `createOpenAICompatible({ name, baseURL })('llama3.2')`, `google('gemini-2.5-flash')`,
   * or a model id string the AI SDK resolves (its global provider, by default the Vercel AI Gateway).
   */
  model: LanguageModel;
  /**
   * Builds the model a session chose (`POST /session/:id/model`) from its id,
   * e.g. the provider itself: `provider: openai`. Without it only `model` is
   * offered (unless `model` is a string id, which any chosen id replaces).
   */
  provider?: (modelId: string) => LanguageModel;
  /**
   * Attachment types the model reads: images and PDF go as `file` parts, text
   * inline. Default images (PNG, JPEG, GIF, WebP), PDF and text; narrow it for
   * a model without vision (e.g. `['text/plain', 'text/markdown', 'text/csv', 'application/json']`),
   * so the server refuses other files before the turn (422 `unsupported_attachment`).
   */
  attachmentTypes?: readonly string[];
  /**
   * Models offered for `GET /config/model`, the default first. Default: `model` alone.
   * Others than `model` need `provider` (or a string `model`); without, the call throws a `TypeError`.
   */
  models?: readonly ModelInfo[];
  /** The model that writes session titles. Default: the session's model. */
  titleModel?: LanguageModel;
  /** System prompt (the AI SDK's `instructions`). */
  system?: string;
  tools?: Tool<any, any>[];
  /** Most output tokens per model call (tokens). Default: the provider's. */
  maxOutputTokens?: number;
  /** Most model calls per turn; the turn stops with `max_iterations` after that many. Default 20. */
  maxIterations?: number;
  /** Provider-specific options passed to every call, e.g. `{ openai: { reasoningEffort: 'low' } }`. */
  providerOptions?: Parameters<typeof streamText>[0]['providerOptions'];
  /**
   * Retries of a model call on rate limits (429), overload and 5xx, and
   * network errors: exponential backoff with jitter, `retry-after` honoured.
   * Default: 4 attempts, 0.5 s doubling, at most 30 s per wait. The AI SDK's
   * own retries are turned off (`maxRetries: 0`), so this is the only policy.
   */
  retry?: RetryOptions;
  /** Called before each retry wait, e.g. to log it. */
  onRetry?(info: { attempt: number; delayMs: number; error: AiSdkAgentError }): void;
  /** Prices (USD per MTok) by model id, merged over {@link OPENAI_PRICES_USD_PER_MTOK}. */
  prices?: Readonly<Record<string, ModelPrice>>;
}

/** The id of an AI SDK model (a string model is its own id). */
export function modelIdOf(model: LanguageModel): string {
  return typeof model === 'string' ? model : model.modelId;
}

/**
 * An agent on the Vercel AI SDK Core (`ai` v7, `streamText`), so any AI SDK
 * provider works: OpenAI, OpenAI-compatible servers (Ollama, vLLM, LM Studio,
 * llama.cpp, OpenRouter, LiteLLM), Google, Mistral, Bedrock, Anthropic...
 * It calls the model one step at a time, with the tools given as schemas only
 * (the SDK executes nothing and retries nothing), on the model-turn driver
 * every model agent shares (`runModelTurn`): the step's stream parts become
 * our events (see {@link StepState}), and the shared tool loop (`runTools`)
 * settles the step's tool calls the same way for every agent: validation against each tool's zod schema, one approval request
 * (edited inputs checked against the same schema, a rejection's feedback
 * sent back as the tool result), all runnable calls at once, results in call
 * order. Then the next step, up to `maxIterations`. The turn ends with a
 * `usage` event of scope `turn` and `turn_complete` (stop reason in the
 * Anthropic API's words: `end_turn`, `tool_use`, `max_tokens`, or `max_iterations`).
 *
 * A model call that fails before anything of it was yielded is retried (see
 * `retry`); once text has streamed, the turn ends with the error instead, and
 * the history stays valid for the next turn. An interrupt (`ctx.signal`)
 * aborts the request (or a retry wait) and ends the run quietly.
 *
 * @throws {AiSdkAgentError} (from the iteration) when a model call fails for
 *   good: `rate_limited`, `overloaded`, `network_error` (all `retryable`) or `provider_error`.
 */
export function aiSdkAgent(options: AiSdkAgentOptions): Agent & {
  readonly models: readonly ModelInfo[];
  summarize(ctx: SummarizeContext): Promise<string>;
  title(text: string, options: { signal: AbortSignal; model?: string }): Promise<string>;
  checkHealth(options: { signal: AbortSignal; model?: string }): Promise<AgentHealth>;
} {
  const defaultId = modelIdOf(options.model);
  const maxIterations = options.maxIterations ?? 20;
  const prices = { ...OPENAI_PRICES_USD_PER_MTOK, ...options.prices };
  const tools = new Map((options.tools ?? []).map((tool) => [tool.name, tool]));
  const apiTools = toolSchemas(options.tools ?? []);
  const providerName = typeof options.model === 'string' ? undefined : options.model.provider.split('.')[0];
  const baseModels = options.models ?? [];
  const models: ModelInfo[] = [
    baseModels.find((m) => m.id === defaultId) ?? { id: defaultId, label: defaultId, ...(providerName ? { provider: providerName } : {}) },
    ...baseModels.filter((m) => m.id !== defaultId),
  ];
  const retryOptions = options.retry ?? {};
  const unbuildable = models.filter((m) => m.id !== defaultId);
  if (unbuildable.length > 0 && !options.provider && typeof options.model !== 'string') {
    throw new TypeError(
      `aiSdkAgent: models offers ${unbuildable.map((m) => m.id).join(', ')} but there is no provider to build them: ` +
        'pass provider (e.g. the provider itself: provider: openai), or offer only the model.',
    );
  }

  /** The model for a session's choice (an id from `models`), else the default. */
  function resolveModel(id: string | undefined): LanguageModel {
    if (id === undefined || id === defaultId) return options.model;
    if (options.provider) return options.provider(id);
    return typeof options.model === 'string' ? id : options.model;
  }

  return {
    name: 'ai-sdk',
    models,
    attachments: { mediaTypes: options.attachmentTypes ?? AI_SDK_ATTACHMENT_TYPES },

    async *run(ctx: AgentContext): AsyncIterable<AgentOutput> {
      const model = resolveModel(ctx.model);
      const modelId = modelIdOf(model);
      const messages: ModelMessage[] = await modelTurnMessages(ctx);
      const adapter: ModelStepAdapter<StreamPart, StepState> = {
        newStep: () => new StepState(ctx.messageId, modelId, prices),
        stream: (signal) =>
          streamText({
            model,
            messages,
            ...(options.system !== undefined ? { instructions: options.system } : {}),
            ...(apiTools ? { tools: apiTools } : {}),
            ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
            ...(options.providerOptions ? { providerOptions: options.providerOptions } : {}),
            abortSignal: signal,
            maxRetries: 0,
            // Errors arrive as `error` parts, which the step throws; the SDK's default would also log them.
            onError: () => {},
          }).fullStream,
        appendStep(step, outcomes) {
          messages.push({ role: 'assistant', content: step.content });
          messages.push({ role: 'tool', content: outcomes.map((o) => toolResultPart(o.call.toolCallId, o.call.name, o.result)) });
        },
        toAgentError: toAiSdkAgentError,
      };
      yield* runModelTurn(ctx, adapter, {
        model: modelId,
        tools,
        maxIterations,
        retry: retryOptions,
        onRetry: options.onRetry?.bind(options),
      });
    },

    /**
     * Summarises `ctx.messages` with one model call on the session's model, for
     * compaction (at most 2048 output tokens). @throws {AiSdkAgentError} when the call fails or returns no text.
     */
    async summarize(ctx: SummarizeContext): Promise<string> {
      const result = await generateOnce(
        {
          model: resolveModel(ctx.model),
          instructions: SUMMARY_SYSTEM_PROMPT,
          messages: [{ role: 'user', content: summaryInput(ctx.messages) }],
          maxOutputTokens: 2048,
        },
        { signal: ctx.signal, retry: retryOptions },
      );
      const summary = result.text.trim();
      if (!summary) throw new AiSdkAgentError('provider_error', 'The model returned an empty summary.', { retryable: true });
      return summary;
    },

    /**
     * About six words naming a conversation that starts with `text`, from one
     * call to `titleModel` (default: the session's model), at most 32 output tokens.
     * @throws {AiSdkAgentError} when the call fails or returns no text.
     */
    async title(text: string, { signal, model }: { signal: AbortSignal; model?: string }): Promise<string> {
      const result = await generateOnce(
        {
          model: options.titleModel ?? resolveModel(model),
          instructions: TITLE_SYSTEM_PROMPT,
          messages: [{ role: 'user', content: titleInput(text) }],
          maxOutputTokens: 32,
        },
        { signal, retry: retryOptions },
      );
      const title = cleanTitle(result.text);
      if (!title) throw new AiSdkAgentError('provider_error', 'The model returned an empty title.', { retryable: true });
      return title;
    },

    /** A 1-token probe of `model` (default: the agent's), without retries; `latencyMs` is its round trip. Never throws. */
    async checkHealth({ signal, model }: { signal: AbortSignal; model?: string }): Promise<AgentHealth> {
      const probe = resolveModel(model);
      const probeId = modelIdOf(probe);
      const started = performance.now();
      try {
        await generateOnce(
          { model: probe, messages: [{ role: 'user', content: 'ping' }], maxOutputTokens: 1 },
          { signal, retry: { maxAttempts: 1 } },
        );
        return { ok: true, model: probeId, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        return {
          ok: false,
          model: probeId,
          latencyMs: Math.round(performance.now() - started),
          error: error instanceof AiSdkAgentError ? error.message : 'The health probe failed.',
        };
      }
    },
  };
}

/** Our tools as AI SDK tools: description and JSON Schema only, no `execute`, so the SDK runs none. Undefined without tools. */
export function toolSchemas(tools: readonly Tool<any, any>[]): ToolSet | undefined {
  if (tools.length === 0) return undefined;
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      { description: tool.description, inputSchema: jsonSchema(toolInputJsonSchema(tool) as Parameters<typeof jsonSchema>[0]) },
    ]),
  );
}
