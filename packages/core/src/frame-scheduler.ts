/** What {@link createFrameScheduler} returns. */
export interface FrameScheduler {
  /** Asks for one run at the next animation frame; calls until then add nothing. */
  schedule(): void;
  /** Drops a run asked for and not yet made (e.g. because the caller ran the work itself). */
  cancel(): void;
}

/**
 * Runs `run` at most once per animation frame, however often {@link FrameScheduler.schedule}
 * is called in between: how the widget and `@agent-chat/react` batch a burst of
 * streamed events into one render. A frame that does not come within `fallbackMs`
 * (a background tab gets none; a server or worker has no `requestAnimationFrame`)
 * runs it from a timer instead. DOM-free: only the two globals, the first optional.
 *
 * @param fallbackMs longest wait for a frame, in ms. Default 120.
 */
export function createFrameScheduler(run: () => void, fallbackMs = 120): FrameScheduler {
  let pending = false;
  const fire = () => {
    if (!pending) return;
    pending = false;
    run();
  };
  return {
    schedule() {
      if (pending) return;
      pending = true;
      const timer = setTimeout(fire, fallbackMs);
      if (typeof requestAnimationFrame === 'function') {
        requestAnimationFrame(() => {
          clearTimeout(timer);
          fire();
        });
      }
    },
    cancel() {
      pending = false;
    },
  };
}
