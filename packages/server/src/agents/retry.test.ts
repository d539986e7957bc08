import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelayMs, withRetry } from './retry.js';

describe('retryAfterMs', () => {
  const at = Date.parse('2026-11-23T12:00:00Z');

  it('reads retry-after-ms (ms) before retry-after (seconds or an HTTP date)', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }), at)).toBe(250.5);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), at)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), at)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 12:00:07 GMT' }), at)).toBe(7000);
  });

  it('gives 0 for a date in the past and undefined for nothing usable', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 11:00:00 GMT' }), at)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), at)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '-5' }), at)).toBeUndefined();
    expect(retryAfterMs(new Headers(), at)).toBeUndefined();
    expect(retryAfterMs(undefined, at)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const options = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 };

  it('retries a retryable failure until the attempts are used up', () => {
    expect(retryDelayMs(1, { retryable: true }, options)).toBe(50);
    expect(retryDelayMs(2, { retryable: true }, options)).toBe(100);
    expect(retryDelayMs(3, { retryable: true }, options)).toBeUndefined();
    expect(retryDelayMs(1, { retryable: false }, options)).toBeUndefined();
  });

  it('backs off doubling with jitter, between half and all of the step, capped at maxDelayMs', () => {
    const many = { ...options, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, { retryable: true }, many))).toEqual([50, 100, 200, 400, 500, 500]);
    const high = { ...many, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5].map((n) => Math.round(retryDelayMs(n, { retryable: true }, high)!))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('fills in the defaults (500 ms doubling, 30 s cap, 4 attempts) for what options leave out', () => {
    const zero = { random: () => 0 };
    expect([1, 2, 3].map((n) => retryDelayMs(n, { retryable: true }, zero))).toEqual([250, 500, 1000]);
    expect(retryDelayMs(4, { retryable: true }, zero)).toBeUndefined();
    expect(retryDelayMs(8, { retryable: true }, { ...zero, maxAttempts: 10 })).toBe(15_000);
  });

  it('honours retry-after as given, and gives up when it is beyond maxDelayMs', () => {
    expect(retryDelayMs(1, { retryable: true, retryAfterMs: 700 }, options)).toBe(700);
    expect(retryDelayMs(1, { retryable: true, retryAfterMs: 0 }, options)).toBe(0);
    expect(retryDelayMs(1, { retryable: true, retryAfterMs: 1001 }, options)).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('returns the first success, retrying only what classify allows', async () => {
    const seen: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error('busy');
        return 'ok';
      },
      { signal: new AbortController().signal, baseDelayMs: 1, classify: () => ({ retryable: true }) },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);

    const fatal = new Error('fatal');
    await expect(
      withRetry(() => Promise.reject(fatal), { signal: new AbortController().signal, classify: () => ({ retryable: false }) }),
    ).rejects.toBe(fatal);
  });

  it('throws the abort reason when aborted during a wait', async () => {
    const controller = new AbortController();
    const reason = new DOMException('stop', 'AbortError');
    const run = withRetry(() => Promise.reject(new Error('busy')), {
      signal: controller.signal,
      classify: () => ({ retryable: true, retryAfterMs: 60_000 }),
      maxDelayMs: 120_000,
      onRetry: () => controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
  });
});
