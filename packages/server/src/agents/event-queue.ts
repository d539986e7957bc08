/**
 * Carries events from callbacks (tools running concurrently) to the one async
 * generator that yields them, in push order. `drain` ends once `close()` was
 * called and every pushed item is out, or as soon as the signal aborts.
 */
export class EventQueue<T> {
  #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    this.#notify();
  }

  /** No more items will come. */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    for (;;) {
      while (this.#items.length > 0 && !signal.aborted) yield this.#items.shift()!;
      if (this.#closed || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#wake = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  #notify(): void {
    this.#wake?.();
  }
}
