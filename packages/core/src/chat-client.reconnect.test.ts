import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from './__fixtures__/scripted-sse-server.js';
import { ChatApiError, CLIENT_ERROR_CODES } from './chat-api-error.js';
import { ChatClient } from './chat-client.js';
import type { AgentEvent } from './events.js';
import { encodeAgentEvent, SSE_HEADERS, type StreamEvent } from './sse.js';

const turn: AgentEvent[] = [
  { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'Hello' } },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'One ' },
  { type: 'assistant_chunk', messageId: 'a1', delta: 'two' },
  { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' },
];

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(stream: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const item of stream) events.push(item);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** A server whose `GET /events` answers 200 with an event stream that ends at once: empty, or `ready` alone. */
async function endingServer(body: 'empty' | 'ready-only'): Promise<ScriptedServer> {
  server = await startScriptedServer({
    turn,
    intercept: (req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, SSE_HEADERS);
      if (body === 'ready-only') res.write(encodeAgentEvent({ type: 'ready', protocolVersion: '1.0', sessionId: 's1', lastEventId: 4 }));
      res.end();
      return true;
    },
  });
  return server;
}

describe('ChatClient reconnect back-off', () => {
  for (const body of ['empty', 'ready-only'] as const) {
    it(`stops with stream_stalled when the server keeps ending the stream without a new event (${body} body), backing off exponentially`, async () => {
      const { endpoint, requests } = await endingServer(body);
      const client = new ChatClient({ endpoint, reconnect: { initialDelayMs: 20, maxDelayMs: 2_000, maxStalledStreams: 5 } });
      const { error } = await collect(client.subscribe('s1', { after: 0 }));
      expect(error).toBeInstanceOf(ChatApiError);
      expect((error as ChatApiError).code).toBe(CLIENT_ERROR_CODES.streamStalled);
      expect((error as ChatApiError).code).toBe('stream_stalled');
      expect((error as ChatApiError).message).toMatch(/s1.*5 times/);
      // Five streams that each ended without a new event, then it gives up.
      expect(requests).toHaveLength(5);
      const gaps = requests.slice(1).map((r, i) => r.at - requests[i]!.at);
      // After the n-th stalled stream the wait is between half and all of min(maxDelay, initial × 2^n)
      // ("equal jitter"), so it at least doubles each time: 20, 40, 80, 160 ms at the least.
      gaps.forEach((gap, k) => expect(gap).toBeGreaterThanOrEqual(20 * 2 ** k - 2));
    });
  }

  it('defaults to 5 stalled streams in a row', async () => {
    const { endpoint, requests } = await endingServer('empty');
    const client = new ChatClient({ endpoint, reconnect: { initialDelayMs: 1, maxDelayMs: 4 } });
    const { error } = await collect(client.subscribe('s1', { after: 0 }));
    expect((error as ChatApiError).code).toBe('stream_stalled');
    expect(requests).toHaveLength(5);
  });

  it('a chat stream whose resume keeps ending empty stops too, after the events it got', async () => {
    let gets = 0;
    server = await startScriptedServer({
      turn,
      connections: [{ dropAfter: 2 }],
      intercept: (req, res) => {
        if (req.method !== 'GET') return false;
        gets += 1;
        res.writeHead(200, SSE_HEADERS).end();
        return true;
      },
    });
    const client = new ChatClient({ endpoint: server.endpoint, reconnect: { initialDelayMs: 2, maxDelayMs: 20, maxStalledStreams: 3 } });
    const { events, error } = await collect(client.send('s1', 'Hello'));
    expect(events.map((e) => e.event.type)).toEqual(['ready', 'processing', 'assistant_chunk']);
    expect((error as ChatApiError).code).toBe('stream_stalled');
    expect(gets).toBe(3);
  });

  it('streams that drop after progress never count as stalled: every event arrives', async () => {
    server = await startScriptedServer({
      turn,
      connections: [{ dropAfter: 1 }, { dropAfter: 1 }, { dropAfter: 1 }, { dropAfter: 1 }],
    });
    const client = new ChatClient({ endpoint: server.endpoint, reconnect: { initialDelayMs: 2, maxDelayMs: 20, maxStalledStreams: 1 } });
    const { events, error } = await collect(client.subscribe('s1', { after: 0, untilTerminal: true }));
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual([1, 2, 3, 4]);
  });
});
