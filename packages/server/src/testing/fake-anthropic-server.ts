import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`) for tests.
 * It replays scripted answers in the API's streaming format (Anthropic
 * "Streaming Messages": `event:` + one compact JSON `data:` line per event,
 * `content-type: text/event-stream`), records every request, and can answer
 * HTTP errors with the API's error body. Point the real SDK at it:
 * `new Anthropic({ baseURL: fake.url, apiKey: 'test' })`.
 */

/** One raw SSE event as the API sends it: `event:` name and the `data:` object. */
export interface FakeSseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A scripted streaming answer. */
export interface FakeStreamResponse {
  kind: 'stream';
  events: FakeSseEvent[];
  /** Pause before each event, in ms (default 0). */
  delayMs?: number;
  /**
   * Stop writing after this many events and keep the connection open until the
   * client goes away (to test interrupts). Default: write all and end.
   */
  hangAfter?: number;
}

/** A scripted HTTP error with the API's body `{type:'error', error:{type, message}}`. */
export interface FakeErrorResponse {
  kind: 'error';
  status: number;
  /** API error type, e.g. `overloaded_error`, `rate_limit_error`, `invalid_request_error`. */
  errorType: string;
  message: string;
}

export type FakeResponse = FakeStreamResponse | FakeErrorResponse;

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, any>;
  /** Resolves when the client closed the connection or the answer ended. */
  closed: Promise<void>;
}

export interface FakeAnthropicServer {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Every request so far, oldest first. */
  requests: RecordedRequest[];
  /** Queues answers, served in order, one per request. */
  enqueue(...responses: FakeResponse[]): void;
  /** Number of queued answers not yet served. */
  pending(): number;
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port. A request with no
 * queued answer gets a 500 `api_error` saying so, so a test that under-scripts fails loudly.
 */
export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const queue: FakeResponse[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    open.add(res);
    const closed = new Promise<void>((resolve) => res.once('close', () => { open.delete(res); resolve(); }));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // Recorded as empty; the test will see it.
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed });
      const answer = queue.shift();
      if (!answer) {
        sendError(res, { kind: 'error', status: 500, errorType: 'api_error', message: 'fake: no scripted response left' });
      } else if (answer.kind === 'error') {
        sendError(res, answer);
      } else {
        void sendStream(res, answer);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...responses) => void queue.push(...responses),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendError(res: ServerResponse, answer: FakeErrorResponse): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_fake' });
  res.end(JSON.stringify({ type: 'error', error: { type: answer.errorType, message: answer.message } }));
}

async function sendStream(res: ServerResponse, answer: FakeStreamResponse): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': 'req_fake',
  });
  const limit = answer.hangAfter ?? answer.events.length;
  for (const [index, event] of answer.events.entries()) {
    if (index >= limit || res.destroyed) break;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    res.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }
  if (answer.hangAfter === undefined) res.end();
}

/** A content block of a scripted message; text and JSON arrive in the given pieces. */
export type ScriptBlock =
  | { type: 'text'; chunks: string[] }
  | { type: 'thinking'; chunks: string[]; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; jsonChunks: string[] };

/** Token counts the scripted message reports (tokens). */
export interface ScriptUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface ScriptMessage {
  blocks: ScriptBlock[];
  /** Default `end_turn`, or `tool_use` when a block is a tool call. */
  stopReason?: string;
  model?: string;
  usage?: ScriptUsage;
  id?: string;
}

let messageCounter = 0;

/**
 * The exact event sequence the Messages API streams for one message:
 * message_start, per block content_block_start / ping (after the first) /
 * content_block_delta... / content_block_stop, then message_delta (stop reason
 * and cumulative usage) and message_stop.
 */
export function messageEvents(message: ScriptMessage): FakeSseEvent[] {
  const usage: Required<ScriptUsage> = {
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    ...(message.usage ?? { input_tokens: 10, output_tokens: 5 }),
  };
  const stopReason =
    message.stopReason ?? (message.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const events: FakeSseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id: message.id ?? `msg_fake_${++messageCounter}`,
          type: 'message',
          role: 'assistant',
          model: message.model ?? 'claude-sonnet-4-5-20250929',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens,
            cache_read_input_tokens: usage.cache_read_input_tokens,
            output_tokens: 1,
            service_tier: 'standard',
          },
        },
      },
    },
  ];
  message.blocks.forEach((block, index) => {
    const delta = (d: Record<string, unknown>): FakeSseEvent => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta: d },
    });
    const start = (contentBlock: Record<string, unknown>): FakeSseEvent => ({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: contentBlock },
    });
    switch (block.type) {
      case 'text':
        events.push(start({ type: 'text', text: '' }));
        for (const text of block.chunks) events.push(delta({ type: 'text_delta', text }));
        break;
      case 'thinking':
        events.push(start({ type: 'thinking', thinking: '', signature: '' }));
        for (const thinking of block.chunks) events.push(delta({ type: 'thinking_delta', thinking }));
        events.push(delta({ type: 'signature_delta', signature: block.signature }));
        break;
      case 'redacted_thinking':
        events.push(start({ type: 'redacted_thinking', data: block.data }));
        break;
      case 'tool_use':
        events.push(start({ type: 'tool_use', id: block.id, name: block.name, input: {} }));
        for (const partial_json of block.jsonChunks) events.push(delta({ type: 'input_json_delta', partial_json }));
        break;
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  // The API sends one ping right after the first content_block_start.
  if (message.blocks.length > 0) events.splice(2, 0, { event: 'ping', data: { type: 'ping' } });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** A streaming answer for one scripted message. */
export function streamResponse(
  message: ScriptMessage,
  options: { delayMs?: number; hangAfter?: number } = {},
): FakeStreamResponse {
  return { kind: 'stream', events: messageEvents(message), ...options };
}

/** Shorthand: a streamed text answer in the given chunks. */
export function textResponse(chunks: string[], options: Omit<ScriptMessage, 'blocks'> = {}): FakeStreamResponse {
  return streamResponse({ ...options, blocks: [{ type: 'text', chunks }] });
}
