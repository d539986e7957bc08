import { backoffDelayMs, sleep } from '@agent-chat/core/util';

/** How a failing call is retried: bounded attempts, exponential backoff with jitter. */
export interface RetryOptions {
  /** Most attempts in all, the first included. Default 4; 1 turns retrying off. */
  maxAttempts?: number;
  /** Delay before the first retry, in ms; doubled for each later one. Default 500. */
  baseDelayMs?: number;
  /**
   * Longest wait before one retry, in ms. Default 30 000. A server asking (with
   * `retry-after`) for a longer wait ends the retries at once: the error goes to
   * the user, who may try again later.
   */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Whether one failure may be retried, and how long the server asked to wait (ms). */
export interface RetryDecision {
  retryable: boolean;
  retryAfterMs?: number;
}

export const DEFAULT_RETRY_OPTIONS: Required<Omit<RetryOptions, 'random'>> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/**
 * How long the server asked to wait, in ms, from `retry-after-ms` (ms, may be
 * fractional) or `retry-after` (RFC 9110 section 10.2.3: seconds, or an HTTP
 * date). Undefined when neither is present or valid.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait (ms) before retrying after failed attempt number `attempt` (1-based),
 * or undefined when it must not be retried: not retryable, attempts used up, or
 * the server's `retry-after` is beyond `maxDelayMs`. A `retry-after` is honoured
 * as given (never shortened); otherwise the one backoff of `@agent-chat/core/util`
 * (`backoffDelayMs`: between half and all of `baseDelayMs * 2^(attempt-1)`, capped
 * at `maxDelayMs`), with {@link DEFAULT_RETRY_OPTIONS} for what `options` leaves out.
 */
export function retryDelayMs(attempt: number, decision: RetryDecision, options: RetryOptions = {}): number | undefined {
  const { maxAttempts, maxDelayMs } = { ...DEFAULT_RETRY_OPTIONS, ...options };
  if (!decision.retryable || attempt >= maxAttempts) return undefined;
  if (decision.retryAfterMs !== undefined) return decision.retryAfterMs <= maxDelayMs ? decision.retryAfterMs : undefined;
  return backoffDelayMs(attempt, { ...DEFAULT_RETRY_OPTIONS, ...options });
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions extends RetryOptions {
  signal: AbortSignal;
  /** Classifies a failure. */
  classify(error: unknown): RetryDecision;
  /** Called before each wait, e.g. to log it. */
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void;
}

/**
 * Calls `fn` until it succeeds, retrying failures that `classify` calls
 * retryable as {@link retryDelayMs} allows.
 *
 * @throws the last error when it is not retried; `signal.reason` when the
 *   signal aborts during a wait.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: WithRetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal.aborted) throw error;
      const delayMs = retryDelayMs(attempt, options.classify(error), options);
      if (delayMs === undefined) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      if (!(await sleep(delayMs, options.signal))) throw options.signal.reason;
    }
  }
}
