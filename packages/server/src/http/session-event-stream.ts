import { PROTOCOL_VERSION, TERMINAL_EVENT_TYPES, encodeAgentEvent, type SequencedEvent } from '@agent-chat/core';
import { isPlainChunk, type EventLog } from '../sessions/event-log.js';
import type { Session } from '../sessions/session.js';
import { sequencedEventEncoder, SseStream, type ProducedFrames } from './sse-stream.js';

/** Most logged events read for one chunk of a replay. */
const REPLAY_BATCH_EVENTS = 256;
/**
 * A chunk of a replay ends at the first frame that reaches this many characters, and a merged run of
 * chunks at the first delta that does (one event may be larger on its own).
 */
const REPLAY_CHUNK_CHARS = 64 * 1024;

/**
 * One encoder per event log, shared by the streams of that session only: a
 * fan-out encodes each event once, and nothing is shared between sessions or
 * between servers in one process. An entry goes with its log.
 */
const encoders = new WeakMap<EventLog, (sequenced: SequencedEvent) => string>();

function encoderOf(log: EventLog): (sequenced: SequencedEvent) => string {
  let encode = encoders.get(log);
  if (!encode) encoders.set(log, (encode = sequencedEventEncoder()));
  return encode;
}

/** Options of {@link openSessionEventStream}. */
export interface SessionEventStreamOptions {
  /** Send the log's events with an id above this one. */
  afterId: number;
  /** A chat POST's stream: `ready.lastEventId` is `afterId`, and the stream ends after the first terminal event. */
  endOnTerminal: boolean;
  /** Send the conversation as one `snapshot` event (current at the log's last id) first, then what follows it. */
  snapshot: boolean;
  /** Interval of the `: keepalive` comment in ms; 0 turns it off. */
  keepAliveMs: number;
  /** Most bytes of live events queued for a consumer that does not read; past it the stream reads from the log instead. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Called once when the stream is over (see {@link SseStream}). */
  onClose?: () => void;
}

/**
 * An SSE stream of a session's events: `ready`, the optional `snapshot`, the
 * logged events after the cursor, then the live tail (docs/protocol.md).
 *
 * Memory stays bounded whatever the history's size and however slowly the
 * client reads: the replay is read from the log as the consumer reads (about
 * 64 KiB of frames per read; each run of chunks of one message merged into one
 * frame, up to 64 KiB of text, with the run's last id, as `coalesceChunks`
 * does), and only once it has caught up does the stream subscribe
 * to the log, whose events it then pushes as they are appended (encoded once
 * for every stream). A live consumer that falls `maxBufferedBytes` behind is
 * unsubscribed and goes back to reading the log from the last event it got.
 * If the log has meanwhile forgotten that event (retention), the stream ends
 * and the client, resuming with `Last-Event-ID`, gets a `snapshot`.
 */
export function openSessionEventStream(session: Session, options: SessionEventStreamOptions): SseStream {
  const { log } = session;
  const { endOnTerminal } = options;
  const encode = encoderOf(log);
  let unsubscribe: (() => void) | undefined;
  let untrack: (() => void) | undefined;
  let snapshot = options.snapshot ? session.snapshot() : undefined;
  /** Id of the last event queued or sent to this stream. */
  let cursor = snapshot ? snapshot.id : options.afterId;

  const deliver = (sequenced: SequencedEvent): void => {
    cursor = sequenced.id;
    // One encoding per logged event, shared by every stream of the session.
    sse.sendFrame(encode(sequenced), sequenced.id);
    if (endOnTerminal && TERMINAL_EVENT_TYPES.has(sequenced.event.type)) sse.close();
  };

  const produce = (): ProducedFrames | undefined => {
    if (snapshot) {
      const { event, id } = snapshot;
      snapshot = undefined;
      return { frames: encodeAgentEvent(event, id), lastId: id };
    }
    if (unsubscribe) return undefined;
    if (cursor < log.firstId - 1) {
      // The log forgot events this stream has not sent: end it, the client resumes from a snapshot.
      sse.close();
      return undefined;
    }
    const frames: string[] = [];
    let chars = 0;
    let lastId = cursor;
    const events = readLog(cursor);
    let next = events.next();
    while (!next.done && chars < REPLAY_CHUNK_CHARS) {
      const first = next.value;
      next = events.next();
      let frame: string;
      let last = first;
      const head = first.event;
      if (isPlainChunk(head)) {
        // Merge the run of chunks of one message (up to a chunk's worth of text): its id is the run's last.
        const deltas = [head.delta];
        let length = head.delta.length;
        while (!next.done && length < REPLAY_CHUNK_CHARS) {
          const event = next.value.event;
          if (event.type !== head.type || !isPlainChunk(event) || event.messageId !== head.messageId) break;
          deltas.push(event.delta);
          length += event.delta.length;
          last = next.value;
          next = events.next();
        }
        frame = last === first ? encode(first) : encodeAgentEvent({ ...head, delta: deltas.join('') }, last.id);
      } else {
        frame = encode(first);
      }
      frames.push(frame);
      chars += frame.length;
      lastId = last.id;
      if (endOnTerminal && TERMINAL_EVENT_TYPES.has(head.type)) {
        sse.close();
        break;
      }
    }
    if (frames.length === 0) {
      // Caught up: follow the live tail from here (`subscribe` delivers anything appended meanwhile).
      const stop = log.subscribe(cursor, deliver);
      if (sse.open) unsubscribe = stop;
      else stop();
      return undefined;
    }
    cursor = lastId;
    return { frames: frames.join(''), lastId };
  };

  /** The log's events after `afterId`, read a batch at a time as they are iterated. */
  function* readLog(afterId: number): Generator<SequencedEvent> {
    for (;;) {
      // A log that ignores the limit still works, at the cost of a copy per batch.
      const batch = log.readAfter(afterId, REPLAY_BATCH_EVENTS).slice(0, REPLAY_BATCH_EVENTS);
      if (batch.length === 0) return;
      yield* batch;
      afterId = batch.at(-1)!.id;
    }
  }

  const sse = new SseStream({
    keepAliveMs: options.keepAliveMs,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    produce,
    onOverflow: (sentId) => {
      // Too far behind the live tail: stop pushing and read the rest from the log, from what the consumer got.
      unsubscribe?.();
      unsubscribe = undefined;
      cursor = sentId ?? initialCursor;
    },
    onClose: () => {
      unsubscribe?.();
      unsubscribe = undefined;
      untrack?.();
      options.onClose?.();
    },
  });
  const initialCursor = cursor;
  untrack = session.track(sse);
  // A chat POST's stream starts right after the submission's last event, and its `ready` says so: clients
  // skip what `ready.lastEventId` covers (the decisions may already be appended, or be in another process).
  const readyId = endOnTerminal ? options.afterId : log.lastId;
  sse.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, sessionId: session.id, lastEventId: readyId });
  // Nothing to replay (a chat POST before its submission, a client that is up to date): follow the log now,
  // so that every event goes out as its own frame as soon as it is appended.
  if (!snapshot && cursor >= log.lastId) unsubscribe = log.subscribe(cursor, deliver);
  return sse;
}
