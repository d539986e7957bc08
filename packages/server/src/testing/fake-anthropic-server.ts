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
  /** Destroy the connection after this many events, as a broken network would. */
  disconnectAfter?: number;
}

/** A scripted HTTP error with the API's body `{type:'error', error:{type, message}}`. */
export interface FakeErrorResponse {
  kind: 'error';
  status: number;
  /** API error type, e.g. `overloaded_error`, `rate_limit_error`, `invalid_request_error`. */
  errorType: string;
  message: string;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }` or `{ 'retry-after-ms': '20' }`. */
  headers?: Record<string, string>;
}

/** The connection is destroyed without an answer (a network error for the client). */
export interface FakeDisconnectResponse {
  kind: 'disconnect';
}

/**
 * A scripted answer. A streaming answer given to a request without `stream: true`
 * is sent as the JSON message its events add up to. `match`, when given, limits
 * which request takes the answer (the first queued answer that accepts a request
 * serves it), so concurrent requests, e.g. of parallel sub-agents, get theirs.
 */
export type FakeResponse = (FakeStreamResponse | FakeErrorResponse | FakeDisconnectResponse) & {
  match?: (request: RecordedRequest) => boolean;
};

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
  /** Queues answers, served in order (see {@link FakeResponse} `match`), one per request. */
  enqueue(...responses: FakeResponse[]): void;
  /** Number of queued answers not yet served. */
  pending(): number;
  close(): Promise<void>;
}

/** Options of {@link startFakeAnthropicServer}. */
export interface FakeAnthropicServerOptions {
  /** Answers a request no queued answer takes (e.g. a scripted model for a demo). */
  respond?: (request: RecordedRequest) => FakeResponse | undefined;
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port. A request with no
 * queued answer (and none from `respond`) gets a 500 `api_error` saying so, so
 * a test that under-scripts fails loudly.
 */
export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
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
      const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed };
      requests.push(request);
      const index = queue.findIndex((answer) => !answer.match || answer.match(request));
      const answer = index === -1 ? options.respond?.(request) : queue.splice(index, 1)[0];
      if (!answer) {
        sendError(res, { kind: 'error', status: 500, errorType: 'api_error', message: 'fake: no scripted response left' });
      } else if (answer.kind === 'error') {
        sendError(res, answer);
      } else if (answer.kind === 'disconnect') {
        res.socket?.destroy();
      } else if (body.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
        res.end(JSON.stringify(accumulateMessage(answer.events)));
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
  res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...answer.headers });
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
    if (index === answer.disconnectAfter) {
      res.socket?.destroy();
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    const frame = `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
    // Before a scripted disconnect, each frame must have left: destroying the socket drops unsent data.
    if (answer.disconnectAfter === undefined) res.write(frame);
    else await new Promise<void>((resolve) => res.write(frame, () => resolve()));
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
  options: { delayMs?: number; hangAfter?: number; disconnectAfter?: number } = {},
): FakeStreamResponse {
  return { kind: 'stream', events: messageEvents(message), ...options };
}

/** Shorthand: a streamed text answer in the given chunks. */
export function textResponse(
  chunks: string[],
  options: Omit<ScriptMessage, 'blocks'> & { delayMs?: number } = {},
): FakeStreamResponse {
  const { delayMs, ...message } = options;
  return streamResponse({ ...message, blocks: [{ type: 'text', chunks }] }, delayMs !== undefined ? { delayMs } : {});
}

/**
 * The message a stream of events adds up to, as the API answers a request
 * without `stream: true`: message_start's message, each block with its deltas
 * applied, and message_delta's stop reason and usage.
 */
export function accumulateMessage(events: FakeSseEvent[]): Record<string, any> {
  let message: Record<string, any> = {};
  const json = new Map<number, string>();
  for (const { data } of events) {
    const event = data as Record<string, any>;
    if (event.type === 'message_start') message = structuredClone(event.message);
    else if (event.type === 'content_block_start') message.content[event.index] = structuredClone(event.content_block);
    else if (event.type === 'content_block_delta') {
      const block = message.content[event.index];
      const delta = event.delta;
      if (delta.type === 'text_delta') block.text += delta.text;
      else if (delta.type === 'thinking_delta') block.thinking += delta.thinking;
      else if (delta.type === 'signature_delta') block.signature = delta.signature;
      else if (delta.type === 'input_json_delta') json.set(event.index, (json.get(event.index) ?? '') + delta.partial_json);
    } else if (event.type === 'content_block_stop' && json.has(event.index)) {
      message.content[event.index].input = JSON.parse(json.get(event.index) || '{}');
    } else if (event.type === 'message_delta') {
      message.stop_reason = event.delta.stop_reason;
      message.stop_sequence = event.delta.stop_sequence ?? null;
      message.usage = { ...message.usage, ...event.usage };
    }
  }
  return message;
}

/** A stream that starts like `message` but breaks with an API `error` event after `after` of its events. */
export function streamErrorResponse(
  message: ScriptMessage,
  after: number,
  error: { type: string; message: string } = { type: 'overloaded_error', message: 'Overloaded' },
): FakeStreamResponse {
  return {
    kind: 'stream',
    events: [...messageEvents(message).slice(0, after), { event: 'error', data: { type: 'error', error } }],
  };
}

/** Shorthand: a message of tool_use blocks, each with its whole input as one JSON piece. */
export function toolUseResponse(
  calls: { id: string; name: string; input: Record<string, unknown> }[],
  options: Omit<ScriptMessage, 'blocks'> & { text?: string } = {},
): FakeStreamResponse {
  const { text, ...rest } = options;
  return streamResponse({
    ...rest,
    blocks: [
      ...(text ? [{ type: 'text' as const, chunks: [text] }] : []),
      ...calls.map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, jsonChunks: [JSON.stringify(call.input)] })),
    ],
  });
}
