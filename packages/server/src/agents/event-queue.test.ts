import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('EventQueue', () => {
  it('yields pushed items in order, waiting for more until closed', async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    const drained = collect(queue.drain(new AbortController().signal));
    await Promise.resolve();
    queue.push(2);
    setTimeout(() => {
      queue.push(3);
      queue.close();
    }, 1);
    expect(await drained).toEqual([1, 2, 3]);
  });

  it('stops at once when the signal aborts, leaving the rest', async () => {
    const queue = new EventQueue<string>();
    const controller = new AbortController();
    const seen: string[] = [];
    queue.push('a');
    queue.push('b');
    for await (const item of queue.drain(controller.signal)) {
      seen.push(item);
      controller.abort();
    }
    expect(seen).toEqual(['a']);

    const waiting = collect(new EventQueue<string>().drain(controller.signal));
    expect(await waiting).toEqual([]);
  });

  it('ends a drain that is waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const drained = collect(new EventQueue<string>().drain(controller.signal));
    setTimeout(() => controller.abort(), 1);
    expect(await drained).toEqual([]);
  });
});
