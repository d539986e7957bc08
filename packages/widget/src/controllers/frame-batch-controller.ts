import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createFrameScheduler } from '@agent-chat/core';

/**
 * Batches a host's renders to one per animation frame while `active()` holds
 * (`<agent-chat>`: while events stream in): the host awaits
 * {@link FrameBatchController.frame} in its `scheduleUpdate()`, so every change
 * made meanwhile is drawn together. Frames come from core's `createFrameScheduler`,
 * the one `@agent-chat/react` publishes by; a background tab, which gets no
 * frames, still renders within 120 ms.
 */
export class FrameBatchController implements ReactiveController {
  readonly #active: () => boolean;
  /** Resolves the update waiting for a frame (Lit schedules one update at a time). */
  #release: (() => void) | undefined;
  readonly #frames = createFrameScheduler(() => this.#release?.());

  constructor(host: ReactiveControllerHost, active: () => boolean) {
    this.#active = active;
    host.addController(this);
  }

  /** A host taken out of the page renders at once rather than wait for a frame. */
  hostDisconnected(): void {
    this.#frames.cancel();
    this.#release?.();
  }

  /** Resolves at the next animation frame while batching is active; undefined (nothing to wait for) otherwise. */
  frame(): Promise<void> | undefined {
    if (!this.#active()) return undefined;
    return new Promise((resolve) => {
      this.#release = resolve;
      this.#frames.schedule();
    });
  }
}
