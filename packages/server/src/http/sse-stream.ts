import { encodeAgentEvent, encodeSseComment, type AgentEvent, type SequencedEvent } from '@agent-chat/core';

const encoder = new TextEncoder();
const KEEPALIVE_FRAME = encodeSseComment('keepalive');

/**
 * A new encoder of logged events as SSE frames (`id:` the sequence number,
 * `event:` the type, `data:` the JSON; see `encodeAgentEvent`) that remembers
 * the last one: consecutive calls with the same object encode it once. An event
 * log hands every subscriber the same `SequencedEvent` object, one subscriber
 * after the other, so one encoder shared by the streams of one log makes a
 * fan-out to N streams cost one `JSON.stringify`, not N. It holds one frame at
 * most. (A `WeakMap` of every logged event measured slower: thousands of live
 * ephemeron entries per turn make every garbage collection slower, and only
 * the newest hits.) Events must not be mutated once logged (they never are).
 */
export function sequencedEventEncoder(): (sequenced: SequencedEvent) => string {
  // Closure variables, not class fields: this runs once per event per subscriber,
  // and private fields measured slower there.
  let last: SequencedEvent | undefined;
  let frame = '';
  return (sequenced) => {
    if (sequenced !== last) {
      frame = encodeAgentEvent(sequenced.event, sequenced.id);
      last = sequenced;
    }
    return frame;
  };
}

/** Options of {@link SseStream}. */
export interface SseStreamOptions {
  /** Interval of the `: keepalive` comment in ms; 0 turns it off. */
  keepAliveMs: number;
  /**
   * Most bytes queued for a consumer that does not read. Past it the stream is
   * dropped (the client resumes with `Last-Event-ID`) instead of growing without bound.
   * Default 8 MiB.
   */
  maxBufferedBytes?: number;
  /** Called once when the stream is over: closed by us (its tail may still be unread), cancelled by the consumer, or dropped. */
  onClose?: () => void;
  /**
   * Makes frames on demand: called when the consumer asks for more and nothing
   * is queued. Returns the next frames (joined) and the id of the last one that
   * has an id, or `undefined` to wait for pushes. What it returns goes straight
   * to the consumer, so a replay of any length is produced as it is read.
   */
  produce?: () => ProducedFrames | undefined;
  /**
   * Called instead of dropping the stream when the frames pushed and not yet
   * read pass `maxBufferedBytes`: they are discarded, and `sentId` is the id of
   * the last frame the consumer did get (`undefined`: none with an id). The
   * owner is expected to stop pushing and `produce` from there.
   */
  onOverflow?: (sentId: number | undefined) => void;
}

/** What {@link SseStreamOptions.produce} returns: frames and the id of the last one that has an id. */
export interface ProducedFrames {
  frames: string;
  lastId?: number;
}

/**
 * A `text/event-stream` body (WHATWG HTML, "Server-sent events") fed by pushes
 * and, when nothing is pushed, by its `produce` hook.
 * Pull-driven: frames queued before the consumer reads are sent as one chunk,
 * so a slow client gets fewer, larger writes. Pushed frames are bounded by
 * `maxBufferedBytes` (one frame may be larger on its own); produced frames are
 * made only when the consumer reads. Pushing never throws, whatever state the
 * consumer is in, so it is safe inside an event log's fan-out.
 */
export class SseStream {
  readonly stream: ReadableStream<Uint8Array>;
  #queue: string[] = [];
  #queuedBytes = 0;
  /** Id of the last queued frame that has one. */
  #queuedLastId: number | undefined;
  /** Id of the last frame handed to the consumer that has one. */
  #sentId: number | undefined;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #maxBufferedBytes: number;
  #onClose: (() => void) | undefined;
  readonly #produce: (() => ProducedFrames | undefined) | undefined;
  readonly #onOverflow: ((sentId: number | undefined) => void) | undefined;

  constructor(options: SseStreamOptions) {
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.#onClose = options.onClose;
    this.#produce = options.produce;
    this.#onOverflow = options.onOverflow;
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.#pull(controller),
        cancel: () => this.#finish(),
      },
      { highWaterMark: 0 },
    );
    if (options.keepAliveMs > 0) {
      this.#timer = setInterval(() => {
        if (this.#queue.length === 0) this.#push(KEEPALIVE_FRAME);
      }, options.keepAliveMs);
      // A keepalive must never hold a process open on its own.
      this.#timer.unref?.();
    }
  }

  /** False once the stream has been closed, cancelled or dropped. */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** Queues one event frame; `id` becomes the SSE `id:` field. Ignored once closing. */
  send(event: AgentEvent, id?: number): void {
    this.#push(encodeAgentEvent(event, id), id);
  }

  /**
   * Queues a frame that is already encoded (see {@link sequencedEventEncoder});
   * `id` is its `id:` field, if any. Ignored once closing.
   */
  sendFrame(frame: string, id?: number): void {
    this.#push(frame, id);
  }

  /** Ends the stream after the queued frames have been read. */
  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#stopTimer();
    this.#wakeUp();
    this.#notifyClose();
  }

  #push(frame: string, id?: number): void {
    if (this.#state !== 'open') return;
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    if (id !== undefined) this.#queuedLastId = id;
    if (this.#queuedBytes > this.#maxBufferedBytes && this.#queue.length > 1) {
      // The consumer is too slow: drop what it has not read; whole frames only were sent.
      this.#clearQueue();
      if (this.#onOverflow) this.#onOverflow(this.#sentId);
      else this.close();
      return;
    }
    this.#wakeUp();
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    for (;;) {
      if (this.#state === 'closed') return;
      if (this.#queue.length > 0) {
        let chunk = this.#queue.join('');
        if (this.#queuedLastId !== undefined) this.#sentId = this.#queuedLastId;
        this.#clearQueue();
        // What `produce` has next goes in the same write (`ready` and the start of a replay, say).
        const produced = this.#state === 'open' ? this.#produce?.() : undefined;
        if (produced && produced.frames !== '') {
          chunk += produced.frames;
          if (produced.lastId !== undefined) this.#sentId = produced.lastId;
        }
        controller.enqueue(encoder.encode(chunk));
        break;
      }
      if (this.#state === 'closing') break;
      const produced = this.#produce?.();
      if (produced && produced.frames !== '') {
        // `produce` may have closed the stream (a terminal event): its frames still go out, first.
        if (produced.lastId !== undefined) this.#sentId = produced.lastId;
        controller.enqueue(encoder.encode(produced.frames));
        break;
      }
      // `produce` may have pushed (it started following the live tail) or closed.
      if (this.#queue.length > 0 || this.#state !== 'open') continue;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    if (this.#state === 'closing' && this.#queue.length === 0) {
      controller.close();
      this.#finish();
    }
  }

  #clearQueue(): void {
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#queuedLastId = undefined;
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearQueue();
    this.#stopTimer();
    this.#wakeUp();
    this.#notifyClose();
  }

  #notifyClose(): void {
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
  }
}
