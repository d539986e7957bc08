import type { AGUIEvent } from '@ag-ui/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { ProtocolError } from '../protocol-error.js';

/**
 * The AG-UI events of a `text/event-stream` body: the JSON of each frame's
 * `data:` (WHATWG HTML, server-sent events; `@ag-ui/encoder`'s SSE format),
 * in order. Comments and frames without data are skipped. The events are not
 * validated: `AgUiToAgentChat` reads the fields it knows and ignores the rest.
 *
 * @throws {ProtocolError} for a frame whose data is not a JSON object with a string `type`.
 */
export async function* readAgUiEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<AGUIEvent> {
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (!value.data) continue;
      let event: unknown;
      try {
        event = JSON.parse(value.data);
      } catch (cause) {
        throw new ProtocolError(`AG-UI event data is not JSON: ${value.data.slice(0, 80)}`, { cause });
      }
      if (!event || typeof event !== 'object' || typeof (event as { type?: unknown }).type !== 'string') {
        throw new ProtocolError(`AG-UI event without a type: ${value.data.slice(0, 80)}`);
      }
      yield event as AGUIEvent;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
