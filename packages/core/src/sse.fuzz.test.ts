import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './chat-client.js';
import type { AgentEvent } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { decodeAgentEvent } from './protocol-shapes.js';
import { decodeEventStream, encodeAgentEvent, encodeSseComment, type StreamEvent } from './sse.js';
import { fuzzParams } from './__fixtures__/fuzz.js';

// Property-based tests of the SSE decoder: whatever the chunking, the line
// endings, the comments and the lines of unknown fields around them, a valid
// stream decodes to the same events; any bytes at all decode or fail with a
// ProtocolError, never anything else.

const utf8 = new TextEncoder();

/** Any text, astral planes and lone surrogates included (JSON escapes the latter). */
const text = fc.string({ unit: 'binary', maxLength: 40 });
const shortId = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 3 });
const tokens = fc.nat({ max: 1_000_000 });
const usage = fc.record({
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  costUsd: fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }),
});

const eventArb: fc.Arbitrary<AgentEvent> = fc.oneof(
  fc.record({ type: fc.constant('assistant_chunk' as const), messageId: shortId, delta: text }),
  fc.record({ type: fc.constant('thinking_chunk' as const), messageId: shortId, delta: text }),
  fc.record({ type: fc.constant('assistant_stream_end' as const), messageId: shortId }),
  fc.record({ type: fc.constant('title' as const), title: text }),
  fc.record({
    type: fc.constant('processing' as const),
    turnId: shortId,
    assistantMessageId: shortId,
    userMessage: fc.record({ id: shortId, text, createdAt: fc.nat() }),
  }),
  fc.record({ type: fc.constant('tool_call' as const), messageId: shortId, toolCallId: shortId, name: text, input: json }),
  fc.record({ type: fc.constant('tool_output' as const), toolCallId: shortId, output: json, isError: fc.boolean() }),
  fc.record({ type: fc.constant('usage' as const), scope: fc.constantFrom('step' as const, 'turn' as const), usage, cumulative: usage }),
  fc.record({ type: fc.constant('error' as const), code: text, message: text, retryable: fc.boolean() }),
  fc.record({ type: fc.constant('turn_complete' as const), turnId: shortId, stopReason: text }),
) as fc.Arbitrary<AgentEvent>;

/** A line that is neither a field the decoder reads (data, event, id, retry) nor a line break: the spec ignores it. */
const unknownFieldLine = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom(':', ': ', ''), fc.string({ unit: 'binary', maxLength: 20 }))
  .map(([name, sep, value]) => `${name}${sep}${sep ? value : ''}`)
  .filter((line) => {
    if (/[\r\n]/.test(line) || line.startsWith(':') || line === '') return false;
    const name = line.includes(':') ? line.slice(0, line.indexOf(':')) : line;
    return !['data', 'event', 'id', 'retry'].includes(name);
  });

type Item =
  | { kind: 'event'; event: AgentEvent; id?: number; noise: string[] }
  | { kind: 'comment'; text: string }
  | { kind: 'unknown-type'; type: string; data: unknown }
  | { kind: 'retry'; ms: number };

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('event' as const), event: eventArb, id: fc.option(fc.nat(), { nil: undefined }), noise: fc.array(unknownFieldLine, { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown-type' as const), type: fc.string({ maxLength: 8 }).map((s) => `future_${s}`), data: json }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), ms: fc.nat() }) },
);

/** The lines of one item, its closing blank line included (line endings come later). */
function lines(item: Item): string[] {
  switch (item.kind) {
    case 'event': {
      const frame = encodeAgentEvent(item.event, item.id).split('\n').slice(0, -2);
      // Fields of no meaning go anywhere inside the frame.
      return [...item.noise, ...frame, ''];
    }
    case 'comment':
      return encodeSseComment(item.text).split('\n').slice(0, -1);
    case 'unknown-type':
      return [`event: ${item.type}`, `data: ${JSON.stringify({ type: item.type, payload: item.data })}`, ''];
    case 'retry':
      return [`retry: ${item.ms}`, ''];
  }
}

type Ending = '\n' | '\r' | '\r\n';

/** Joins lines with the chosen endings. A CR then an empty line's LF would read as one CRLF: that pair becomes CR CR. */
function join(allLines: string[], endings: Ending[]): string {
  let out = '';
  let previous: Ending | undefined;
  allLines.forEach((line, i) => {
    let ending = endings[i % endings.length]!;
    if (previous === '\r' && line === '' && ending === '\n') ending = '\r';
    out += line + ending;
    previous = ending;
  });
  return out;
}

/** Cuts `bytes` at the given offsets (any byte, inside a multi-byte character too). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  return chunks;
}

function byteStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const item of stream as unknown as AsyncIterable<StreamEvent>) out.push(item);
  return out;
}

/** What a client must see for these items: the events, as their JSON says, with their ids. */
function expected(items: Item[]): StreamEvent[] {
  return items.flatMap((item) => {
    if (item.kind !== 'event') return [];
    const event = decodeAgentEvent(JSON.parse(JSON.stringify(item.event)))!;
    return item.id === undefined ? [{ event }] : [{ id: item.id, event }];
  });
}

const streamArb = fc.record({
  items: fc.array(itemArb, { maxLength: 12 }),
  endings: fc.array(fc.constantFrom<Ending>('\n', '\r', '\r\n'), { minLength: 1, maxLength: 6 }),
  bom: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 20 }),
  bytewise: fc.boolean(),
});

function render({ items, endings, bom }: { items: Item[]; endings: Ending[]; bom: boolean }): Uint8Array {
  return utf8.encode((bom ? '\uFEFF' : '') + join(items.flatMap(lines), endings));
}

describe('decodeEventStream (fuzz)', () => {
  it('decodes the same events whatever the chunking, line endings, BOM, comments and unknown lines', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (stream) => {
        const bytes = render(stream);
        const chunks = stream.bytewise ? [...bytes].map((b) => Uint8Array.of(b)) : split(bytes, stream.cuts);
        expect(await collect(decodeEventStream(byteStream(chunks)))).toEqual(expected(stream.items));
      }),
      fuzzParams(150),
    );
  });

  it('drops an unterminated last frame, and only that one', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, eventArb, async (stream, last) => {
        const bytes = render(stream);
        const tail = utf8.encode(encodeAgentEvent(last, 1).replace(/\n\n$/, '\n'));
        const body = new Uint8Array([...bytes, ...tail]);
        expect(await collect(decodeEventStream(byteStream(split(body, stream.cuts))))).toEqual(expected(stream.items));
      }),
      fuzzParams(50),
    );
  });

  it('any bytes at all: decodes, or fails with a ProtocolError (never another error, never a hang)', async () => {
    // Bytes built from SSE's own vocabulary reach deeper than uniform noise.
    const piece = fc.oneof(
      fc.constantFrom('data: ', 'data:', 'id: ', 'event: ', 'retry: ', ': ', '\n', '\r', '\r\n', '{', '}', '"type":', '"title"', '"assistant_chunk"', ',', '"title":1', '"delta":"x"', '"messageId":"m"', '[', 'null', '\uFEFF', '\u00e9', '\u{1F600}'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(piece, { maxLength: 40 }).map((pieces) => utf8.encode(pieces.join(''))),
    );
    await fc.assert(
      fc.asyncProperty(bytesArb, fc.array(fc.nat(), { maxLength: 10 }), async (bytes, cuts) => {
        try {
          const events = await collect(decodeEventStream(byteStream(split(bytes, cuts))));
          for (const { event, id } of events) {
            expect(typeof event.type).toBe('string');
            if (id !== undefined) expect(Number.isSafeInteger(id)).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
      fuzzParams(300),
    );
  });
});

describe('decodeEventStream: cases the fuzz found', () => {
  it.each([
    ['CR CR', '\r\r'],
    ['LF CR', '\n\r'],
    ['CRLF CR', '\r\n\r'],
  ])('dispatches a frame whose blank line ends the body with a lone CR (%s)', async (_, ending) => {
    // A CR at the very end is a whole line ending (WHATWG SSE); the parser waits for a LF that never comes.
    const frame = encodeAgentEvent({ type: 'title', title: 'T' }, 3).replace(/\n\n$/, ending);
    for (const chunks of [[frame], [...frame]]) {
      expect(await collect(decodeEventStream(byteStream(chunks.map((c) => utf8.encode(c)))))).toEqual([
        { id: 3, event: { type: 'title', title: 'T' } },
      ]);
    }
  });
});

describe('ChatClient decodes a real HTTP stream (fuzz)', () => {
  let server: Server;
  let endpoint: string;
  /** What the next GET /events answers with: the body, written chunk by chunk. */
  let nextBody: Uint8Array[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks = nextBody;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      for (const chunk of chunks) {
        res.write(chunk);
        // A macrotask between writes, so that chunks leave as separate TCP writes.
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('yields each event once, in order, whatever the chunking and line endings', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (stream) => {
        // Increasing ids, as a server sends, and a terminal event so that the subscription ends by itself.
        let nextId = 1;
        const items = stream.items.map((item) => (item.kind === 'event' ? { ...item, id: nextId++ } : item));
        const end: Item = { kind: 'event', event: { type: 'turn_complete', turnId: 't', stopReason: 'end_turn' }, id: nextId, noise: [] };
        const terminal = new Set(['turn_complete', 'error']);
        // The first terminal event in the stream ends the subscription.
        const cut = items.findIndex((item) => item.kind === 'event' && terminal.has(item.event.type));
        const sent = [...items, end];
        const want = expected(cut === -1 ? sent : sent.slice(0, cut + 1));
        nextBody = split(render({ ...stream, items: sent }), stream.cuts);
        const client = new ChatClient({ endpoint });
        const got: StreamEvent[] = [];
        // A stream that never shows its terminal event would be reopened forever: give up after a while.
        const signal = AbortSignal.timeout(5_000);
        for await (const event of client.subscribe('s1', { after: 0, untilTerminal: true, signal })) got.push(event);
        expect(got).toEqual(want);
      }),
      fuzzParams(40),
    );
  });
});
