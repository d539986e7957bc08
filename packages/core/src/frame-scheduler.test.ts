import { describe, expect, it } from 'vitest';
import { createFrameScheduler } from './frame-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createFrameScheduler', () => {
  it('without requestAnimationFrame (Node, workers) runs once from its fallback timer, however often it was asked', async () => {
    expect(typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame).toBe('undefined');
    let runs = 0;
    const frames = createFrameScheduler(() => runs++, 20);
    frames.schedule();
    frames.schedule();
    frames.schedule();
    expect(runs).toBe(0);
    await sleep(60);
    expect(runs).toBe(1);
    frames.schedule();
    await sleep(60);
    expect(runs).toBe(2);
  });

  it('cancel drops the run asked for; a later schedule asks again', async () => {
    let runs = 0;
    const frames = createFrameScheduler(() => runs++, 20);
    frames.schedule();
    frames.cancel();
    await sleep(60);
    expect(runs).toBe(0);
    frames.schedule();
    await sleep(60);
    expect(runs).toBe(1);
  });
});
