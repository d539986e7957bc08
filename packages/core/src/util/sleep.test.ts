import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('resolves true after the wait', async () => {
    const started = performance.now();
    expect(await sleep(20)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });

  it('resolves false as soon as the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(await sleep(60_000, controller.signal)).toBe(false);
    expect(await sleep(0, controller.signal)).toBe(false);
  });

  it('resolves true without a timer for a wait of 0 or less', async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    expect(await sleep(0)).toBe(true);
    expect(await sleep(-5)).toBe(true);
    expect(timerRan).toBe(false);
  });

  it('leaves no listener on the signal once the wait is over', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const { signal } = controller;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await sleep(1, signal);
    expect([added, removed]).toEqual([1, 1]);
  });
});
