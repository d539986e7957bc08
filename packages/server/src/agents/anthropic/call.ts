import Anthropic from '@anthropic-ai/sdk';
import { isRetryableStatus } from '@agent-chat/core/util';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { ModelCallError, networkError, retryDecisionOf } from '../model-call-error.js';
import { isNetworkFailure } from '../network-failure.js';
import type { TokenCounts } from '../model-price.js';
import { retryAfterMs, withRetry, type RetryDecision, type RetryOptions } from '../retry.js';

/** Stable codes of {@link AnthropicAgentError}. */
export type AnthropicAgentErrorCode = 'overloaded' | 'rate_limited' | 'network_error' | 'provider_error' | 'not_configured';

/**
 * A failed call to the Anthropic API, with a stable `code`:
 * `overloaded` (HTTP 529 or an `overloaded_error`, also inside a stream),
 * `rate_limited` (HTTP 429), `network_error` (no connection, or it broke),
 * `not_configured` (no API key: the client could not be built) or
 * `provider_error` (anything else, e.g. HTTP 400 or 500). `retryable` says
 * whether the same request may succeed later. The SDK's error is the `cause`.
 */
export class AnthropicAgentError extends ModelCallError<AnthropicAgentErrorCode> {
  override readonly name = 'AnthropicAgentError';
}

/** Whether `error` is a transport failure: the SDK's connection error, or a network failure (not an API answer). */
function isNetworkError(error: unknown): boolean {
  if (error instanceof Anthropic.APIConnectionError) return true;
  return !(error instanceof Anthropic.APIError) && isNetworkFailure(error);
}

/**
 * Maps what a Messages API call threw to an {@link AnthropicAgentError};
 * an {@link AnthropicAgentError} or an error the SDK did not cause passes unchanged.
 */
export function toAnthropicAgentError(error: unknown): unknown {
  if (error instanceof AnthropicAgentError) return error;
  if (isNetworkError(error)) return networkError(AnthropicAgentError, 'the Anthropic API', error);
  if (!(error instanceof Anthropic.APIError)) return error;
  const body = error.error as { error?: { type?: string; message?: string } } | undefined;
  const type = body?.error?.type;
  const detail = body?.error?.message ?? error.message;
  const status = typeof error.status === 'number' ? error.status : undefined;
  const statusText = status ? ` (HTTP ${status})` : '';
  const after = retryAfterMs(error.headers ?? undefined);
  const common = { status, cause: error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  if (status === 529 || type === 'overloaded_error') {
    return new AnthropicAgentError('overloaded', `The Anthropic API is overloaded${statusText}: ${detail}. Try again in a moment.`, {
      ...common,
      retryable: true,
    });
  }
  if (status === 429 || type === 'rate_limit_error') {
    return new AnthropicAgentError('rate_limited', `The Anthropic API rate limit was reached${statusText}: ${detail}. Try again later.`, {
      ...common,
      retryable: true,
    });
  }
  const retryable = status === undefined ? type === 'api_error' : isRetryableStatus(status);
  return new AnthropicAgentError('provider_error', `The Anthropic API call failed${statusText}: ${detail}`, { ...common, retryable });
}

/** Whether (and when) a failed Messages API call may be retried. */
export function classifyAnthropicError(error: unknown): RetryDecision {
  return retryDecisionOf(toAnthropicAgentError(error));
}

/** How to reach the API: a configured client, or what to build one from. */
export interface AnthropicClientOptions {
  /** A configured client. Default: `new Anthropic({ apiKey, baseURL })`, which reads `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`. */
  client?: Anthropic;
  /** Used only when `client` is not given. */
  apiKey?: string;
  /** Used only when `client` is not given. */
  baseURL?: string;
}

/**
 * A getter for the client, built on first use so that a missing key fails a
 * call, not the server's start.
 *
 * @throws {AnthropicAgentError} `not_configured` when the SDK refuses to build a client (no API key).
 */
export function lazyAnthropicClient(options: AnthropicClientOptions): () => Anthropic {
  let client = options.client;
  return () => {
    // The SDK would only fail at the request, with a message about headers.
    if (!client && !options.apiKey && !process.env.ANTHROPIC_API_KEY && !process.env.ANTHROPIC_AUTH_TOKEN) {
      throw new AnthropicAgentError(
        'not_configured',
        'The Anthropic API key is missing: set ANTHROPIC_API_KEY or pass apiKey (or a client) to the agent.',
        { retryable: false },
      );
    }
    try {
      return (client ??= new Anthropic({
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
        // Our retry policy is the only one (see retry.ts): two would multiply the attempts.
        maxRetries: 0,
      }));
    } catch (error) {
      throw new AnthropicAgentError('not_configured', `The Anthropic client is not configured: ${(error as Error).message}`, {
        retryable: false,
        cause: error,
      });
    }
  };
}

/**
 * One non-streaming Messages API call (`POST /v1/messages`), retried on
 * overload, rate limits and network errors per `retry`.
 *
 * @throws {AnthropicAgentError} when it fails for good; the abort reason when `signal` aborts.
 */
export async function createMessage(
  client: Anthropic,
  params: MessageCreateParamsNonStreaming,
  options: { signal: AbortSignal; retry?: RetryOptions },
): Promise<Message> {
  try {
    return await withRetry(() => client.messages.create(params, { signal: options.signal, maxRetries: 0 }), {
      ...options.retry,
      signal: options.signal,
      classify: classifyAnthropicError,
    });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw toAnthropicAgentError(error);
  }
}

/** Token counts of a Messages API `usage` object. */
export function tokenCounts(usage: Anthropic.Messages.Usage): TokenCounts {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
  };
}

/** The text blocks of a message, joined. */
export function messageText(message: Message): string {
  return message.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('')
    .trim();
}
