import type { AgentEvent } from '@agent-chat/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { MemoryEventLog } from '../sessions/event-log.js';
import { openSessionEventStream } from './session-event-stream.js';
import { Session } from '../sessions/session.js';

const decoder = new TextDecoder();

function session(id: string): Session {
  return new Session({ id, userId: 'u', log: new MemoryEventLog(), agent: scriptedAgent(), logger: { warn() {}, error() {} } });
}

/** Reads a stream until `text` has gone by. */
async function readUntil(stream: ReadableStream<Uint8Array>, text: string): Promise<string> {
  const reader = stream.getReader();
  let seen = '';
  while (!seen.includes(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value);
  }
  reader.releaseLock();
  return seen;
}

afterEach(() => vi.restoreAllMocks());

describe('openSessionEventStream', () => {
  it("encodes a live event once for all of its session's streams, and each session's events apart", async () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const encodings = (title: string) => stringify.mock.calls.filter(([value]) => (value as AgentEvent | undefined)?.type === 'title' && (value as { title: string }).title === title).length;
    const a = session('a');
    const b = session('b');
    const open = (s: Session) => openSessionEventStream(s, { afterId: 0, endOnTerminal: false, snapshot: false, keepAliveMs: 0 });
    const streamsA = [open(a), open(a), open(a)];
    const streamsB = [open(b), open(b)];

    // Interleaved, as two busy sessions (or two servers) in one process are.
    a.append({ type: 'title', title: 'A1' });
    b.append({ type: 'title', title: 'B1' });
    a.append({ type: 'title', title: 'A2' });
    b.append({ type: 'title', title: 'B2' });

    expect(['A1', 'A2', 'B1', 'B2'].map(encodings)).toEqual([1, 1, 1, 1]);
    for (const sse of streamsA) {
      const text = await readUntil(sse.stream, '"A2"');
      expect(text).toContain('id: 1\nevent: title\ndata: {"type":"title","title":"A1"}\n\n');
      expect(text).toContain('id: 2\nevent: title\ndata: {"type":"title","title":"A2"}\n\n');
      expect(text).not.toContain('"B');
    }
    for (const sse of streamsB) {
      const text = await readUntil(sse.stream, '"B2"');
      expect(text).toContain('id: 1\nevent: title\ndata: {"type":"title","title":"B1"}\n\n');
      expect(text).not.toContain('"A');
    }
    for (const sse of [...streamsA, ...streamsB]) sse.close();
  });
});
