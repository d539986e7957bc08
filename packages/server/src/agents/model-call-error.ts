import { AgentError } from './agent.js';
import type { RetryDecision } from './retry.js';

/**
 * A failed call to a model provider, with a stable `code` (e.g. `overloaded`,
 * `rate_limited`, `network_error`, `provider_error`). `retryable` says whether
 * the same request may succeed later; the provider SDK's error is the `cause`.
 * The base of each model agent's own error class (`AnthropicAgentError`, `AiSdkAgentError`).
 */
export class ModelCallError<Code extends string = string> extends AgentError {
  declare readonly code: Code;
  /** HTTP status of the failed request; undefined for errors inside a stream or without a response. */
  readonly status: number | undefined;
  /** How long the provider asked to wait before retrying (ms), from `retry-after-ms` / `retry-after`. */
  readonly retryAfterMs: number | undefined;

  constructor(code: Code, message: string, options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(code, message, options);
    this.name = 'ModelCallError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether (and when) a failed model call may be retried, from what the agent mapped it to: only its own errors may be. */
export function retryDecisionOf(mapped: unknown): RetryDecision {
  if (!(mapped instanceof ModelCallError)) return { retryable: false };
  return { retryable: mapped.retryable, ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}) };
}

/** The constructor of a {@link ModelCallError} subclass. */
type ErrorClass<E> = new (code: 'network_error', message: string, options: { retryable: boolean; cause?: unknown }) => E;

/**
 * The `network_error` (retryable) of a call that could not reach `provider`
 * (e.g. `the Anthropic API`), or whose answer broke off (see `isNetworkFailure`).
 */
export function networkError<E extends ModelCallError>(errorClass: ErrorClass<E>, provider: string, error: unknown): E {
  const detail = error instanceof Error ? error.message : String(error);
  return new errorClass('network_error', `Could not reach ${provider} (${detail}). Check the connection and try again.`, {
    retryable: true,
    cause: error,
  });
}
