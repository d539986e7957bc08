import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const low = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 };
  const high = { ...low, random: () => 0.999999 };

  it('doubles per attempt with jitter between half and all of the step, capped at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, low))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5].map((n) => Math.round(backoffDelayMs(n, high)))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('counts attempts below 1 as the first, and stays finite however many attempts failed', () => {
    expect(backoffDelayMs(0, low)).toBe(50);
    expect(backoffDelayMs(-3, low)).toBe(50);
    expect(backoffDelayMs(10_000, low)).toBe(500);
    expect(backoffDelayMs(10_000, { baseDelayMs: 0, maxDelayMs: 1000 })).toBe(0);
  });

  it('jitters with Math.random by default, within the step', () => {
    for (let i = 0; i < 100; i++) {
      const ms = backoffDelayMs(3, { baseDelayMs: 100, maxDelayMs: 10_000 });
      expect(ms).toBeGreaterThanOrEqual(200);
      expect(ms).toBeLessThan(400);
    }
  });
});
