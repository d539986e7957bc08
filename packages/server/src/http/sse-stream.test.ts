import { describe, expect, it } from 'vitest';
import { encodeAgentEvent, type AgentEvent, type SequencedEvent } from '@agent-chat/core';
import { sequencedEventEncoder, SseStream } from './sse-stream.js';

const decoder = new TextDecoder();

describe('SseStream', () => {
  it('sends frames queued before a read as one chunk, then closes after the tail', async () => {
    const sse = new SseStream({ keepAliveMs: 0 });
    sse.send({ type: 'title', title: 'a' }, 1);
    sse.send({ type: 'title', title: 'b' }, 2);
    sse.send({ type: 'title', title: 'c' });
    sse.close();
    sse.send({ type: 'title', title: 'ignored' }, 4);
    const reader = sse.stream.getReader();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe(
      'id: 1\nevent: title\ndata: {"type":"title","title":"a"}\n\n' +
        'id: 2\nevent: title\ndata: {"type":"title","title":"b"}\n\n' +
        'event: title\ndata: {"type":"title","title":"c"}\n\n',
    );
    expect((await reader.read()).done).toBe(true);
  });

  it('waits for a push when the consumer reads first', async () => {
    const sse = new SseStream({ keepAliveMs: 0 });
    const reader = sse.stream.getReader();
    const pending = reader.read();
    setTimeout(() => sse.send({ type: 'title', title: 'late' }, 7), 5);
    expect(decoder.decode((await pending).value)).toContain('id: 7\n');
  });

  it('sends a keepalive comment when idle', async () => {
    const sse = new SseStream({ keepAliveMs: 10 });
    const reader = sse.stream.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe(': keepalive\n\n');
    await reader.cancel();
  });

  it('cleans up once when the consumer cancels, and ignores later pushes', async () => {
    let closed = 0;
    const sse = new SseStream({ keepAliveMs: 5, onClose: () => closed++ });
    const reader = sse.stream.getReader();
    await reader.cancel();
    expect(closed).toBe(1);
    expect(sse.open).toBe(false);
    expect(() => sse.send({ type: 'title', title: 'x' }, 1)).not.toThrow();
    sse.close();
    expect(closed).toBe(1);
  });

  it('drops a consumer that falls too far behind instead of buffering without bound', async () => {
    let closed = 0;
    const sse = new SseStream({ keepAliveMs: 0, maxBufferedBytes: 1_000, onClose: () => closed++ });
    for (let i = 1; i <= 100; i++) sse.send({ type: 'title', title: 'x'.repeat(20) }, i);
    expect(closed).toBe(1);
    expect((await sse.stream.getReader().read()).done).toBe(true);
  });
});

describe('SseStream with produce and onOverflow', () => {
  it('produces frames only when the consumer reads, after what is queued', async () => {
    let calls = 0;
    const sse = new SseStream({
      keepAliveMs: 0,
      produce: () => (++calls <= 2 ? { frames: `: produced ${calls}\n\n`, lastId: calls } : undefined),
    });
    sse.sendFrame(': queued\n\n');
    expect(calls).toBe(0);
    const reader = sse.stream.getReader();
    // The queued frame first, and what `produce` has next in the same chunk.
    expect(decoder.decode((await reader.read()).value)).toBe(': queued\n\n: produced 1\n\n');
    expect(calls).toBe(1);
    expect(decoder.decode((await reader.read()).value)).toBe(': produced 2\n\n');
    // Nothing more to produce: the read waits for a push.
    const pending = reader.read();
    sse.sendFrame(': pushed\n\n', 3);
    expect(decoder.decode((await pending).value)).toBe(': pushed\n\n');
    await reader.cancel();
  });

  it('keeps a single frame larger than the bound, and on overflow tells the owner the last id the consumer got', async () => {
    const overflows: (number | undefined)[] = [];
    const sse = new SseStream({ keepAliveMs: 0, maxBufferedBytes: 100, onOverflow: (sentId) => overflows.push(sentId) });
    const reader = sse.stream.getReader();
    sse.sendFrame(`: ${'x'.repeat(500)}\n\n`, 1);
    expect(overflows).toEqual([]);
    expect((await reader.read()).value!.byteLength).toBe(504);
    sse.sendFrame(`: ${'y'.repeat(60)}\n\n`, 2);
    sse.sendFrame(`: ${'z'.repeat(60)}\n\n`, 3);
    // Dropped, not closed: the owner resumes from id 1.
    expect(overflows).toEqual([1]);
    expect(sse.open).toBe(true);
    sse.sendFrame(': after\n\n', 4);
    expect(decoder.decode((await reader.read()).value)).toBe(': after\n\n');
    await reader.cancel();
  });
});

describe('sequencedEventEncoder', () => {
  /** A title event that counts how often it is serialized. */
  function countingEvent(): { event: AgentEvent; reads: () => number } {
    let reads = 0;
    const event = {
      type: 'title',
      get title() {
        reads++;
        return 'Hello';
      },
    } as unknown as AgentEvent;
    return { event, reads: () => reads };
  }

  it('encodes a logged event once, however many streams send it', async () => {
    const { event, reads } = countingEvent();
    const encode = sequencedEventEncoder();
    const sequenced: SequencedEvent = { id: 7, event };
    const streams = [0, 1, 2].map(() => new SseStream({ keepAliveMs: 0 }));
    for (const stream of streams) stream.sendFrame(encode(sequenced));
    expect(reads()).toBe(1);
    expect(encode(sequenced)).toBe(encodeAgentEvent({ type: 'title', title: 'Hello' }, 7));
    for (const stream of streams) {
      stream.close();
      expect(await new Response(stream.stream).text()).toBe('id: 7\nevent: title\ndata: {"type":"title","title":"Hello"}\n\n');
    }
    // Another log entry is another encoding.
    encode({ id: 8, event });
    expect(reads()).toBe(2);
  });

  it("shares nothing between encoders: one session's fan-out never evicts another's", () => {
    const a = countingEvent();
    const b = countingEvent();
    const first = sequencedEventEncoder();
    const second = sequencedEventEncoder();
    const eventA: SequencedEvent = { id: 1, event: a.event };
    const eventB: SequencedEvent = { id: 1, event: b.event };
    // Two sessions (or two servers) fanning out at once, interleaved.
    for (let i = 0; i < 3; i++) {
      first(eventA);
      second(eventB);
    }
    expect([a.reads(), b.reads()]).toEqual([1, 1]);
  });
});
