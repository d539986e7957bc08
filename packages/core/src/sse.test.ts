import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from './events.js';
import { ProtocolError } from './protocol-error.js';
import {
  decodeEventStream,
  encodeAgentEvent,
  encodeSseComment,
  encodeSseFrame,
  SSE_HEADERS,
  SseFieldError,
  type StreamEvent,
} from './sse.js';

const utf8 = new TextEncoder();

/** A byte stream that delivers `chunks` one by one. */
function byteStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream as unknown as AsyncIterable<T>) out.push(item);
  return out;
}

const decode = (text: string | Uint8Array[]) =>
  collect(decodeEventStream(byteStream(typeof text === 'string' ? [utf8.encode(text)] : text)));

/** Raw SSE messages as the WHATWG parser sees them (the layer under decodeEventStream). */
const parseFrames = (text: string): Promise<EventSourceMessage[]> =>
  collect(
    byteStream([utf8.encode(text)])
      .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
      .pipeThrough(new EventSourceParserStream()),
  );

describe('encodeSseFrame', () => {
  it('writes id, event, retry and one data line per line of data', () => {
    expect(encodeSseFrame({ id: 7, event: 'title', retry: 1500.7, data: 'a\nb' })).toBe(
      'id: 7\nevent: title\nretry: 1500\ndata: a\ndata: b\n\n',
    );
  });

  it.each([
    ['LF', 'one\ntwo\nthree'],
    ['CRLF', 'one\r\ntwo\r\nthree'],
    ['CR', 'one\rtwo\rthree'],
    ['mixed', 'one\r\ntwo\rthree'],
  ])('round-trips multi-line data split by %s (line breaks normalise to LF, as the spec says)', async (_, data) => {
    const [message] = await parseFrames(encodeSseFrame({ event: 'x', id: 1, data }));
    expect(message).toMatchObject({ event: 'x', id: '1', data: 'one\ntwo\nthree' });
  });

  it('round-trips empty data and a data line that is only a line break', async () => {
    expect(encodeSseFrame({ data: '' })).toBe('data: \n\n');
    const messages = await parseFrames(encodeSseFrame({ data: '' }) + encodeSseFrame({ data: '\n' }));
    expect(messages.map((m) => m.data)).toEqual(['', '\n']);
  });

  it.each([
    ['event', { event: 'a\nb', data: '' }],
    ['event', { event: 'a\rb', data: '' }],
    ['event', { event: 'a\0b', data: '' }],
    ['id', { id: '1\n2', data: '' }],
    ['id', { id: '1\r', data: '' }],
    ['id', { id: 'x\0', data: '' }],
  ])('rejects CR, LF or NUL in %s with SseFieldError', (field, frame) => {
    let caught: unknown;
    try {
      encodeSseFrame(frame);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SseFieldError);
    expect(caught).toMatchObject({ code: 'sse_invalid_field', message: expect.stringContaining(field) });
  });

  it('encodes comments that parsers ignore', async () => {
    expect(encodeSseComment('keepalive')).toBe(': keepalive\n\n');
    expect(await parseFrames(encodeSseComment('a\nb') + encodeSseFrame({ data: 'x' }))).toHaveLength(1);
  });

  it('has the streaming headers, including X-Accel-Buffering for nginx', () => {
    expect(SSE_HEADERS['content-type']).toMatch(/^text\/event-stream/);
    expect(SSE_HEADERS['x-accel-buffering']).toBe('no');
    expect(SSE_HEADERS['cache-control']).toContain('no-cache');
  });
});

const unicode = 'Emoji 😀👩‍👩‍👧 CJK 漢字かな한국어 RTL שלום مرحبا \u200f end';

const sample: Array<{ id: number; event: AgentEvent }> = [
  { id: 1, event: { type: 'title', title: unicode } },
  { id: 2, event: { type: 'assistant_chunk', messageId: 'm1', delta: 'line1\nline2\r\nline3\rline4' } },
  { id: 3, event: { type: 'assistant_chunk', messageId: 'm1', delta: '' } },
  { id: 4, event: { type: 'assistant_chunk', messageId: 'm1', delta: unicode } },
  { id: 5, event: { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' } },
];
const sampleText = sample.map(({ id, event }) => encodeAgentEvent(event, id)).join('');

describe('decodeEventStream', () => {
  it('round-trips events exactly: multi-line strings, empty strings, emoji, CJK and RTL text', async () => {
    expect(await decode(sampleText)).toEqual(sample);
  });

  it('decodes the same events wherever the bytes are split, including inside a multi-byte character', async () => {
    const bytes = utf8.encode(sampleText);
    // Make sure the sample really has multi-byte sequences to split.
    expect(bytes.length).toBeGreaterThan(sampleText.length);
    for (let offset = 1; offset < bytes.length; offset++) {
      const decoded = await decode([bytes.subarray(0, offset), bytes.subarray(offset)]);
      expect(decoded, `split at byte ${offset}`).toEqual(sample);
    }
    const oneByteChunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await decode(oneByteChunks)).toEqual(sample);
  });

  it('joins a JSON object spread over several data lines', async () => {
    const text = 'id: 9\nevent: title\ndata: {"type":"title",\ndata: "title":"two lines"}\n\n';
    expect(await decode(text)).toEqual([{ id: 9, event: { type: 'title', title: 'two lines' } }]);
  });

  it('accepts CRLF and CR line endings from the server', async () => {
    const lf = encodeAgentEvent({ type: 'title', title: 'x' }, 3);
    // With bare CR the parser cannot tell a final CR from the first half of a CRLF
    // until the next byte, so the frame is followed by a keepalive, as on a live stream.
    for (const eol of ['\r\n', '\r']) {
      const text = lf.replaceAll('\n', eol) + encodeSseComment('keepalive');
      expect(await decode(text)).toEqual([{ id: 3, event: { type: 'title', title: 'x' } }]);
    }
  });

  it('skips unknown event types and comments, so old clients survive new servers', async () => {
    const text =
      encodeSseComment('keepalive') +
      encodeSseFrame({ id: 1, event: 'future_event', data: JSON.stringify({ type: 'future_event', x: 1 }) }) +
      encodeAgentEvent({ type: 'title', title: 'kept' }, 2) +
      encodeSseComment('keepalive');
    expect(await decode(text)).toEqual([{ id: 2, event: { type: 'title', title: 'kept' } }]);
  });

  it('tolerates unknown extra fields on known events and keeps them', async () => {
    const text = encodeSseFrame({
      id: 4,
      event: 'title',
      data: JSON.stringify({ type: 'title', title: 'T', addedInV2: { nested: true } }),
    });
    const [decoded] = await decode(text);
    expect(decoded).toEqual({ id: 4, event: { type: 'title', title: 'T', addedInV2: { nested: true } } });
  });

  it('fills schema defaults (tool_output.isError, error.retryable)', async () => {
    const text =
      encodeSseFrame({ id: 1, event: 'tool_output', data: '{"type":"tool_output","toolCallId":"c","output":"ok"}' }) +
      encodeSseFrame({ id: 2, event: 'error', data: '{"type":"error","code":"x","message":"y"}' });
    const events = (await decode(text)).map((e) => e.event);
    expect(events).toEqual([
      { type: 'tool_output', toolCallId: 'c', output: 'ok', isError: false },
      { type: 'error', code: 'x', message: 'y', retryable: false },
    ]);
  });

  it('leaves out an id that is not an integer', async () => {
    const text = encodeSseFrame({ id: 'abc', event: 'title', data: '{"type":"title","title":"t"}' });
    expect(await decode(text)).toEqual([{ event: { type: 'title', title: 't' } }]);
  });

  it('errors with ProtocolError on data that is not JSON', async () => {
    const text = encodeAgentEvent({ type: 'title', title: 'ok' }, 1) + encodeSseFrame({ event: 'title', data: '{oops' });
    const reader = decodeEventStream(byteStream([utf8.encode(text)])).getReader();
    expect((await reader.read()).value).toEqual({ id: 1, event: { type: 'title', title: 'ok' } });
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'protocol_error', message: expect.stringContaining('{oops') });
  });

  it('errors with ProtocolError on a known event type with invalid fields, naming the type and the field', async () => {
    const text = encodeSseFrame({ event: 'title', data: '{"type":"title","title":42}' });
    await expect(decode(text)).rejects.toBeInstanceOf(ProtocolError);
    await expect(decode(text)).rejects.toThrow('Invalid title event: title must be a string, got a number');
  });

  it('fills in the defaults of the schemas', async () => {
    const text = encodeSseFrame({ id: 3, event: 'tool_output', data: '{"type":"tool_output","toolCallId":"c1","output":"ok"}' });
    expect(await decode(text)).toEqual([{ id: 3, event: { type: 'tool_output', toolCallId: 'c1', output: 'ok', isError: false } }]);
  });

  it('decodes with the decoder it is given, wrapping its errors in ProtocolError', async () => {
    const strict = (value: unknown) => {
      if ((value as { title?: unknown }).title === 'bad') throw new RangeError('not this title');
      return value as AgentEvent;
    };
    const ok = encodeAgentEvent({ type: 'title', title: 'fine' }, 1);
    const events = await collect(decodeEventStream(byteStream([utf8.encode(ok)]), strict));
    expect(events).toEqual([{ id: 1, event: { type: 'title', title: 'fine' } }]);

    const bad = encodeAgentEvent({ type: 'title', title: 'bad' }, 2);
    const error = await collect(decodeEventStream(byteStream([utf8.encode(bad)]), strict)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ message: 'Invalid title event', cause: expect.any(RangeError) });
  });

  it('errors on empty data, which is not a JSON event', async () => {
    await expect(decode(encodeSseFrame({ event: 'title', data: '' }))).rejects.toBeInstanceOf(ProtocolError);
  });

  it('yields nothing for an empty body', async () => {
    const events: StreamEvent[] = await decode('');
    expect(events).toEqual([]);
  });
});
