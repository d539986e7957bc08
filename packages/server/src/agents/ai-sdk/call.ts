import { APICallError, generateText, RetryError, StreamProviderError, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import { isRetryableStatus } from '@agent-chat/core/util';
import { ModelCallError, networkError, retryDecisionOf } from '../model-call-error.js';
import { isNetworkFailure } from '../network-failure.js';
import { retryAfterMs, withRetry, type RetryDecision, type RetryOptions } from '../retry.js';

/** Stable codes of {@link AiSdkAgentError}. */
export type AiSdkAgentErrorCode = 'overloaded' | 'rate_limited' | 'network_error' | 'provider_error';

/**
 * A failed model call through the AI SDK, with a stable `code`:
 * `rate_limited` (HTTP 429, or a rate-limit error inside a stream),
 * `overloaded` (HTTP 503 or 529, or an overload error inside a stream),
 * `network_error` (no connection, or it broke) or `provider_error` (anything
 * else, e.g. HTTP 400 or 500). `retryable` says whether the same request may
 * succeed later. What the AI SDK threw is the `cause`.
 */
export class AiSdkAgentError extends ModelCallError<AiSdkAgentErrorCode> {
  override readonly name = 'AiSdkAgentError';
}

/**
 * Maps what a model call threw (or a stream's `error` part carried) to an
 * {@link AiSdkAgentError}: an `APICallError` by its HTTP status and
 * `retry-after`, a transport failure as `network_error`, and an error object
 * inside an OpenAI-style stream (`{ message, type, code }`) by its type. An
 * {@link AiSdkAgentError} passes unchanged; other errors (bugs, aborts) too.
 */
export function toAiSdkAgentError(error: unknown): unknown {
  if (error instanceof AiSdkAgentError) return error;
  // With maxRetries 0 the SDK throws the call's error itself; unwrap in case a version still wraps it.
  if (RetryError.isInstance(error)) return toAiSdkAgentError(error.lastError);
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined && isNetworkFailure(error)) return networkError(AiSdkAgentError, 'the model provider', error);
    const statusText = status ? ` (HTTP ${status})` : '';
    const detail = providerMessage(error.data) ?? error.message;
    const after = retryAfterMs(error.responseHeaders ? new Headers(error.responseHeaders) : undefined);
    const common = { ...(status !== undefined ? { status } : {}), cause: error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    if (status === 429) {
      return new AiSdkAgentError('rate_limited', `The model provider's rate limit was reached${statusText}: ${detail}. Try again later.`, {
        ...common,
        retryable: true,
      });
    }
    if (status === 503 || status === 529) {
      return new AiSdkAgentError('overloaded', `The model provider is overloaded${statusText}: ${detail}. Try again in a moment.`, {
        ...common,
        retryable: true,
      });
    }
    const retryable = status === undefined ? error.isRetryable : isRetryableStatus(status);
    return new AiSdkAgentError('provider_error', `The model call failed${statusText}: ${detail}`, { ...common, retryable });
  }
  if (isNetworkFailure(error)) return networkError(AiSdkAgentError, 'the model provider', error);
  // An error chunk inside the stream, as the SDK reports it.
  if (StreamProviderError.isInstance(error)) {
    const kind = `${error.type ?? ''} ${String(error.code ?? '')}`;
    return streamError(error.message, kind, error, { status: error.statusCode, retryable: error.isRetryable });
  }
  // An error object inside the stream: OpenAI-style `{ message, type, code }`.
  if (!(error instanceof Error) && typeof error === 'object' && error !== null) {
    const { message, type, code } = error as { message?: unknown; type?: unknown; code?: unknown };
    const detail = typeof message === 'string' && message ? message : JSON.stringify(error);
    return streamError(detail, `${String(type ?? '')} ${String(code ?? '')}`, error, {});
  }
  return error;
}

/**
 * An error inside a model stream, by its status when it has one, else by its
 * `kind` (its type and code, e.g. `rate_limit_exceeded`, `overloaded_error`, `server_error`).
 */
function streamError(detail: string, kind: string, cause: unknown, hints: { status?: number; retryable?: boolean }): AiSdkAgentError {
  if (hints.status === 429 || /rate_limit/.test(kind)) {
    return new AiSdkAgentError('rate_limited', `The model provider's rate limit was reached: ${detail}. Try again later.`, { retryable: true, cause });
  }
  if (hints.status === 503 || hints.status === 529 || /overloaded/.test(kind)) {
    return new AiSdkAgentError('overloaded', `The model provider is overloaded: ${detail}. Try again in a moment.`, { retryable: true, cause });
  }
  return new AiSdkAgentError('provider_error', `The model stream failed: ${detail}`, {
    retryable: hints.retryable === true || /server_error|internal|timeout|unavailable/.test(kind),
    cause,
  });
}

/** The message of an OpenAI-style error body `{ error: { message } }`, when the provider parsed one. */
function providerMessage(data: unknown): string | undefined {
  const message = (data as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' && message ? message : undefined;
}

/** Whether (and when) a failed model call may be retried. */
export function classifyAiSdkError(error: unknown): RetryDecision {
  return retryDecisionOf(toAiSdkAgentError(error));
}

/** One model call without streaming: what {@link generateOnce} takes. */
export interface GenerateRequest {
  model: LanguageModel;
  instructions?: string;
  messages: ModelMessage[];
  tools?: ToolSet;
  /** Most output tokens. */
  maxOutputTokens?: number;
}

/**
 * One model step without streaming (`generateText`, one step, no tool
 * execution, the SDK's retries off), retried on 429, 5xx and network errors
 * per `retry`.
 *
 * @throws {AiSdkAgentError} when it fails for good; the abort reason when `signal` aborts.
 */
export async function generateOnce(request: GenerateRequest, options: { signal: AbortSignal; retry?: RetryOptions }) {
  try {
    return await withRetry(
      () =>
        generateText({
          model: request.model,
          messages: request.messages,
          ...(request.instructions !== undefined ? { instructions: request.instructions } : {}),
          ...(request.tools ? { tools: request.tools } : {}),
          ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
          abortSignal: options.signal,
          maxRetries: 0,
        }),
      { ...options.retry, signal: options.signal, classify: classifyAiSdkError },
    );
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw toAiSdkAgentError(error);
  }
}
