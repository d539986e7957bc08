import { startFakeApiServer, type FakeAnswer, type FakeApiDialect, type FakeApiServer, type FakeApiServerOptions, type FakeStreamPacing, type RecordedRequest } from './fake-api-server.js';

export type { RecordedRequest } from './fake-api-server.js';

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`) for tests.
 * It replays scripted answers in the API's streaming format (Anthropic
 * "Streaming Messages": `event:` + one compact JSON `data:` line per event,
 * `content-type: text/event-stream`), records every request, and can answer
 * HTTP errors with the API's error body `{type:'error', error:{type, message}}`.
 * Point the real SDK at it: `new Anthropic({ baseURL: fake.url, apiKey: 'test' })`.
 */

/** One raw SSE event as the API sends it: `event:` name and the `data:` object. */
export interface FakeSseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A scripted streaming answer; `delayMs`, `hangAfter` and `disconnectAfter` count events. */
export interface FakeStreamResponse extends FakeStreamPacing {
  kind: 'stream';
  events: FakeSseEvent[];
}

/**
 * A scripted answer (see {@link FakeAnswer}). A streaming answer given to a
 * request without `stream: true` is sent as the JSON message its events add up to.
 */
export type FakeResponse = FakeAnswer<FakeStreamResponse>;

export type FakeAnthropicServer = FakeApiServer<FakeResponse>;

/** The Messages API's own ways: its error body, `request-id`, `event:` and `data:` frames. */
const MESSAGES_API: FakeApiDialect<FakeStreamResponse> = {
  basePath: '',
  requestIdHeader: 'request-id',
  unscriptedErrorType: 'api_error',
  errorBody: (answer) => ({ type: 'error', error: { type: answer.errorType, message: answer.message } }),
  accumulate: (answer) => accumulateMessage(answer.events),
  frames: (answer) => answer.events.map((event) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`),
};

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port (see {@link startFakeApiServer}).
 * `options.respond` answers what no queued answer takes, e.g. for a demo; a
 * request nothing answers gets a 500 `api_error`.
 */
export function startFakeAnthropicServer(options: FakeApiServerOptions<FakeResponse> = {}): Promise<FakeAnthropicServer> {
  return startFakeApiServer(MESSAGES_API, options);
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
export function streamResponse(message: ScriptMessage, pacing: FakeStreamPacing = {}): FakeStreamResponse {
  return { kind: 'stream', events: messageEvents(message), ...pacing };
}

/** Shorthand: a streamed text answer in the given chunks. */
export function textResponse(chunks: string[], { delayMs, ...message }: Omit<ScriptMessage, 'blocks'> & { delayMs?: number } = {}): FakeStreamResponse {
  return streamResponse({ ...message, blocks: [{ type: 'text', chunks }] }, { delayMs });
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
