import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { AgentEvent } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { decodeAgentEvent } from './protocol-shapes.js';

/**
 * Server-Sent Events codec for the agent-chat protocol, following the WHATWG
 * HTML Living Standard, "Server-sent events" (text/event-stream, UTF-8).
 */

/** Response headers for an SSE stream. `X-Accel-Buffering: no` stops nginx from buffering it. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});

/** One SSE frame before encoding. */
export interface SseFrame {
  /** The `event:` field. Must not contain CR or LF. */
  event?: string;
  /** The `data:` payload; each line becomes its own `data:` line. */
  data: string;
  /** The `id:` field. Must not contain CR, LF or NUL. */
  id?: string | number;
  /** The `retry:` field, in milliseconds. */
  retry?: number;
}

/** Thrown when a frame field would break the framing (CR, LF or NUL where the spec forbids them). */
export class SseFieldError extends Error {
  readonly code = 'sse_invalid_field';
  constructor(field: string) {
    super(`SSE ${field} must not contain CR, LF or NUL`);
    this.name = 'SseFieldError';
  }
}

const FORBIDDEN_IN_FIELD = /[\r\n\0]/;

/**
 * Encodes one frame. Multi-line `data` is split into one `data:` line per line
 * (CRLF, CR and LF all count as line breaks, as the parser sees them).
 *
 * @throws {SseFieldError} when `event` or `id` contains CR, LF or NUL.
 */
export function encodeSseFrame(frame: SseFrame): string {
  let out = '';
  if (frame.id !== undefined) {
    const id = String(frame.id);
    if (FORBIDDEN_IN_FIELD.test(id)) throw new SseFieldError('id');
    out += `id: ${id}\n`;
  }
  if (frame.event !== undefined) {
    if (FORBIDDEN_IN_FIELD.test(frame.event)) throw new SseFieldError('event');
    out += `event: ${frame.event}\n`;
  }
  if (frame.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(frame.retry))}\n`;
  for (const line of frame.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + '\n';
}

/** Encodes an SSE comment line (ignored by parsers; used as keepalive). */
export function encodeSseComment(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}\n`)
    .join('') + '\n';
}

/**
 * Encodes a protocol event as a frame: `event:` its type, `data:` its JSON,
 * `id:` its sequence number when it has one. JSON never contains a raw line
 * break, so each event is a single `data:` line.
 */
export function encodeAgentEvent(event: AgentEvent, id?: number): string {
  return encodeSseFrame({ event: event.type, data: JSON.stringify(event), id });
}

/** An event read from a stream, with its sequence number when the frame had an `id:`. */
export interface StreamEvent {
  id?: number;
  event: AgentEvent;
}

/**
 * Turns one decoded JSON value into an event: `undefined` for a type to skip,
 * throws for a known type with invalid fields. `decodeAgentEvent` (the default)
 * and `parseAgentEvent` from `@agent-chat/core/schemas` (strict, zod) are two.
 */
export type EventDecoder = (value: unknown) => AgentEvent | undefined;

/**
 * Decodes a `text/event-stream` body into protocol events: UTF-8 text ->
 * eventsource-parser's `createParser` -> JSON -> `decodeEvent`, all in one
 * `TransformStream`, so each network read costs one stream hop however many
 * events it holds (three chained streams cost about three times as many
 * promise jobs per event, which showed as long tasks at 3,000 events/s).
 * Frames of unknown event types are skipped (forward compatibility); comments
 * (keepalives) are dropped; an unterminated frame at the end of the body is
 * discarded, as the SSE spec says.
 *
 * @param decodeEvent Checks each event; default {@link decodeAgentEvent} (JSON types of every field, defaults filled in).
 * @throws {ProtocolError} (as a stream error) for invalid JSON or a known type with invalid fields;
 *   an error of `decodeEvent` that is not a `ProtocolError` becomes the `cause` of one.
 */
export function decodeEventStream(
  body: ReadableStream<Uint8Array>,
  decodeEvent: EventDecoder = decodeAgentEvent,
): ReadableStream<StreamEvent> {
  const text = new TextDecoder();
  let parser: ReturnType<typeof createParser>;
  // Whether the text fed so far ends with a CR: the parser holds it back, waiting for a possible LF.
  let endsWithCR = false;
  const feed = (chunk: string): void => {
    if (chunk === '') return;
    endsWithCR = chunk.endsWith('\r');
    parser.feed(chunk);
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, StreamEvent>({
      start(controller) {
        parser = createParser({
          // Throws out of `feed()`, so out of `transform()`: the stream errors with it.
          onEvent: (message) => {
            const decoded = decodeMessage(message, decodeEvent);
            if (decoded) controller.enqueue(decoded);
          },
          onError: (error) => {
            if (error.type === 'max-buffer-size-exceeded') controller.error(error);
          },
        });
      },
      transform(chunk) {
        feed(text.decode(chunk, { stream: true }));
      },
      flush() {
        feed(text.decode());
        // A CR that ends the body is a whole line ending (WHATWG SSE): complete it as CRLF, which
        // means the same, so that a frame whose blank line is that CR is dispatched.
        if (endsWithCR) parser.feed('\n');
      },
    }),
  );
}

function decodeMessage(message: EventSourceMessage, decodeEvent: EventDecoder): StreamEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch (cause) {
    throw new ProtocolError(`Event data is not JSON: ${message.data.slice(0, 80)}`, { cause });
  }
  let event: AgentEvent | undefined;
  try {
    event = decodeEvent(json);
  } catch (cause) {
    if (cause instanceof ProtocolError) throw cause;
    throw new ProtocolError(`Invalid ${message.event ?? 'message'} event`, { cause });
  }
  if (!event) return undefined;
  const id = message.id === undefined || message.id === '' ? undefined : Number(message.id);
  return id === undefined || !Number.isSafeInteger(id) ? { event } : { id, event };
}
