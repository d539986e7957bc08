import { TERMINAL_EVENT_TYPES, type SequencedEvent } from '@agent-chat/core';
import type { Session } from '../sessions/session.js';

/** Options of {@link sessionStream}. */
export interface SessionStreamOptions {
  /** The SSE frames one of our events becomes (possibly none). */
  frames(sequenced: SequencedEvent): string[];
  /** Written after the terminal event, e.g. `data: [DONE]\n\n`. */
  end?: string;
  /** Terminal events up to this id do not end the stream (a replay through a turn that paused for approvals). */
  replayedUpTo?: number;
  /** Interval of the `: keepalive` comment in ms, so that proxies keep an idle stream open; 0 turns it off. Default 15 000. */
  keepAliveMs?: number;
  /** Called once when the stream ends, by its terminal event or by the client going away (releases its stream slot). */
  onClose?: () => void;
}

/**
 * A session's events after `after` as an SSE body in another protocol: the
 * kept events, then the live tail, until the first terminal event (of this
 * turn). The turn does not depend on it: cancelling the body only unsubscribes.
 */
export function sessionStream(session: Session, after: number, options: SessionStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const replayedUpTo = options.replayedUpTo ?? after;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const finish = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    if (!closed) {
      closed = true;
      options.onClose?.();
    }
    // Not from inside the log's delivery: unsubscribing there is the log's business.
    queueMicrotask(() => stop?.());
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      if (keepAliveMs > 0) {
        timer = setInterval(() => controller.enqueue(encoder.encode(': keepalive\n\n')), keepAliveMs);
        (timer as { unref?: () => void }).unref?.();
      }
      stop = session.log.subscribe(after, (sequenced) => {
        if (!open) return;
        const frames = options.frames(sequenced);
        if (frames.length > 0) controller.enqueue(encoder.encode(frames.join('')));
        if (TERMINAL_EVENT_TYPES.has(sequenced.event.type) && sequenced.id > replayedUpTo) {
          open = false;
          if (options.end) controller.enqueue(encoder.encode(options.end));
          controller.close();
          finish();
        }
      });
    },
    cancel() {
      finish();
    },
  });
}
