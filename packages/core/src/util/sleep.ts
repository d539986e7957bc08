/**
 * Waits `ms` milliseconds, or less when `signal` aborts first. Never rejects,
 * so a caller that must stop on abort checks the result (or `signal.aborted`).
 * `ms <= 0` resolves on the next microtask.
 *
 * @returns true when the whole wait passed, false when `signal` aborted (before or during it).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
