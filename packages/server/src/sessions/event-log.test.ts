import { createConversationState, reduce, type AgentEvent, type ConversationState, type SequencedEvent } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { coalesceChunks, EventLogGapError, MemoryEventLog } from './event-log.js';

const title = (n: number): AgentEvent => ({ type: 'title', title: `t${n}` });

describe('MemoryEventLog', () => {
  it('assigns ids 1, 2, 3, ... and reads after an id', () => {
    const log = new MemoryEventLog();
    expect(log.lastId).toBe(0);
    expect([1, 2, 3].map((n) => log.append(title(n)).id)).toEqual([1, 2, 3]);
    expect(log.lastId).toBe(3);
    expect(log.readAfter(1).map((e) => e.id)).toEqual([2, 3]);
    expect(log.readAfter(3)).toEqual([]);
    expect(log.readAfter(0)[0]).toEqual({ id: 1, event: title(1) });
  });

  it('replays then tails live, with no gap and no duplicate', () => {
    const log = new MemoryEventLog();
    for (let n = 1; n <= 5; n++) log.append(title(n));
    const seen: number[] = [];
    const stop = log.subscribe(2, (e) => seen.push(e.id));
    expect(seen).toEqual([3, 4, 5]);
    log.append(title(6));
    log.append(title(7));
    expect(seen).toEqual([3, 4, 5, 6, 7]);
    stop();
    stop();
    log.append(title(8));
    expect(seen).toEqual([3, 4, 5, 6, 7]);
  });

  it('keeps order when an append happens during the replay (from inside a listener)', () => {
    const log = new MemoryEventLog();
    for (let n = 1; n <= 3; n++) log.append(title(n));
    const a: number[] = [];
    const b: number[] = [];
    log.subscribe(0, (e) => {
      a.push(e.id);
      // Appending while replaying event 2: it must arrive once, after 3.
      if (e.id === 2) log.append(title(4));
    });
    log.subscribe(1, (e) => b.push(e.id));
    log.append(title(5));
    expect(a).toEqual([1, 2, 3, 4, 5]);
    expect(b).toEqual([2, 3, 4, 5]);
  });

  it('gives every subscriber the same sequence, whatever its start', () => {
    const log = new MemoryEventLog();
    const streams: SequencedEvent[][] = [[], [], []];
    log.subscribe(0, (e) => streams[0]!.push(e));
    for (let n = 1; n <= 3; n++) log.append(title(n));
    log.subscribe(0, (e) => streams[1]!.push(e));
    log.subscribe(3, (e) => streams[2]!.push(e));
    for (let n = 4; n <= 6; n++) log.append(title(n));
    expect(streams[0]).toEqual(streams[1]);
    expect(streams[2]).toEqual(streams[0]!.slice(3));
  });

  it('drops a throwing listener without hurting the appender or the others', () => {
    const errors: unknown[] = [];
    const log = new MemoryEventLog({ onListenerError: (error) => errors.push(error) });
    const good: number[] = [];
    let calls = 0;
    log.subscribe(0, () => {
      calls++;
      throw new Error('closed client');
    });
    log.subscribe(0, (e) => good.push(e.id));
    expect(() => log.append(title(1))).not.toThrow();
    log.append(title(2));
    expect(calls).toBe(1);
    expect(good).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('stops every delivery on close()', () => {
    const log = new MemoryEventLog();
    const seen: number[] = [];
    log.subscribe(0, (e) => seen.push(e.id));
    log.close();
    log.append(title(1));
    expect(seen).toEqual([]);
  });

  it('trims its oldest events (never the newest); readers from before firstId start at the oldest kept', () => {
    const log = new MemoryEventLog();
    for (let n = 1; n <= 6; n++) log.append(title(n));
    log.trim(4);
    expect([log.firstId, log.lastId]).toEqual([5, 6]);
    expect(log.readAfter(0).map((e) => e.id)).toEqual([5, 6]);
    log.trim(100);
    expect([log.firstId, log.lastId]).toEqual([6, 6]);
    const seen: number[] = [];
    log.subscribe(2, (e) => seen.push(e.id));
    log.append(title(7));
    expect(seen).toEqual([6, 7]);
    expect(log.append(title(8)).id).toBe(8);
  });

  it('starts from a checkpoint (events or an id) and records each append through onAppend before fan-out', () => {
    const written: number[] = [];
    const seen: string[] = [];
    const log = new MemoryEventLog({ events: [{ id: 11, event: title(11) }, { id: 12, event: title(12) }], onAppend: (e) => written.push(e.id) });
    expect([log.firstId, log.lastId]).toEqual([11, 12]);
    log.subscribe(12, (e) => seen.push(`${e.id}:${written.includes(e.id)}`));
    log.append(title(13));
    expect(written).toEqual([13]);
    expect(seen).toEqual(['13:true']);
    const empty = new MemoryEventLog({ startAfter: 40 });
    expect([empty.firstId, empty.lastId, empty.append(title(41)).id]).toEqual([41, 40, 41]);
  });

  it('ingests events appended elsewhere: duplicates ignored, a gap refused, a cursor ahead waits for its id', () => {
    const log = new MemoryEventLog({ startAfter: 2 });
    const seen: number[] = [];
    log.subscribe(4, (e) => seen.push(e.id));
    expect(log.ingest({ id: 3, event: title(3) })).toBe(true);
    expect(log.ingest({ id: 3, event: title(3) })).toBe(false);
    expect(() => log.ingest({ id: 9, event: title(9) })).toThrow(EventLogGapError);
    log.ingest({ id: 4, event: title(4) });
    log.ingest({ id: 5, event: title(5) });
    expect(seen).toEqual([5]);
    expect(log.lastId).toBe(5);
  });
});

describe('coalesceChunks', () => {
  const text = (delta: string, messageId = 'm1'): AgentEvent => ({ type: 'assistant_chunk', messageId, delta });
  const think = (delta: string, messageId = 'm1'): AgentEvent => ({ type: 'thinking_chunk', messageId, delta });
  const logged = (events: AgentEvent[]): SequencedEvent[] => {
    const log = new MemoryEventLog();
    for (const event of events) log.append(event);
    return log.readAfter(0);
  };

  it('merges runs of one type and one message, with the run\'s last id, and leaves the rest as they are', () => {
    const events = logged([
      think('a'), think('b'), { type: 'thinking_end', messageId: 'm1' },
      text('x'), text('y'), text('z'), text('other', 'm2'), text('!'), title(1), text('single'),
      { type: 'assistant_chunk', messageId: 'm1', delta: 'extra', meta: 1 } as AgentEvent, text('after'),
    ]);
    const merged = coalesceChunks(events);
    expect(merged.map((e) => [e.id, e.event])).toEqual([
      [2, think('ab')],
      [3, { type: 'thinking_end', messageId: 'm1' }],
      [6, text('xyz')],
      [7, text('other', 'm2')],
      [8, text('!')],
      [9, title(1)],
      [10, text('single')],
      [11, { type: 'assistant_chunk', messageId: 'm1', delta: 'extra', meta: 1 }],
      [12, text('after')],
    ]);
    // Unmerged events are the same objects (their cached frames are reused); the input is untouched.
    expect(merged[1]).toBe(events[2]);
    expect(events).toHaveLength(12);
    expect(coalesceChunks([])).toEqual([]);
  });

  it('reduces to the same state as the raw events, and so does a resume from any id', () => {
    const raw = logged([
      { type: 'processing', turnId: 't1', assistantMessageId: 'm1' } as AgentEvent,
      ...'thinking hard'.split('').map((c) => think(c)),
      { type: 'thinking_end', messageId: 'm1' },
      ...'the answer is 42'.split('').map((c) => text(c)),
      { type: 'assistant_stream_end', messageId: 'm1' },
      { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' } as AgentEvent,
    ]);
    const apply = (state: ConversationState, events: SequencedEvent[]) => events.reduce((s, e) => reduce(s, e.event, e.id), state);
    const full = apply(createConversationState('s'), raw);
    expect(full.messages.at(-1)).toMatchObject({ role: 'assistant' });
    for (let k = 0; k < raw.length; k++) {
      const merged = coalesceChunks(raw.slice(k));
      expect(merged.length).toBeLessThanOrEqual(raw.length - k);
      for (let i = 1; i < merged.length; i++) expect(merged[i]!.id).toBeGreaterThan(merged[i - 1]!.id);
      expect(apply(apply(createConversationState('s'), raw.slice(0, k)), merged)).toEqual(full);
    }
    expect(coalesceChunks(raw)).toHaveLength(6);
  });
});
