/** Options of {@link backoffDelayMs}. */
export interface BackoffOptions {
  /** The step of the first attempt, in ms; doubled for each later one. */
  baseDelayMs: number;
  /** Largest step, in ms. */
  maxDelayMs: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Doublings past this change nothing (any cap is reached) and could overflow to `Infinity`. */
const MAX_DOUBLINGS = 30;

/**
 * The wait before attempt number `attempt` (1-based) of a retried call, in ms:
 * exponential backoff with "equal jitter", between half and all of
 * `min(maxDelayMs, baseDelayMs * 2^(attempt - 1))`. Clients that failed together
 * spread out, and none waits less than half its step. `attempt` below 1 counts as 1.
 *
 * The one backoff of the project: `ChatClient`'s reconnections and the
 * server's `withRetry` both use it.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const doublings = Math.min(MAX_DOUBLINGS, Math.max(0, attempt - 1));
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** doublings);
  const random = options.random ?? Math.random;
  return step / 2 + random() * (step / 2);
}
