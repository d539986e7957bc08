import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`) for tests. It replays scripted answers in the
 * API's streaming format (`data:` + one compact JSON `chat.completion.chunk`
 * per line, `data: [DONE]` last, `content-type: text/event-stream`): text in
 * `delta.content`, reasoning in `delta.reasoning_content` (as DeepSeek, vLLM
 * and Ollama send it), `delta.tool_calls` whose arguments arrive in pieces,
 * usage in a last chunk with empty `choices` when the request asked for it
 * (`stream_options.include_usage`). It records every request, and can answer
 * HTTP errors with the API's error body or break a stream with an error chunk.
 * Point any OpenAI-compatible client at it, e.g.
 * `createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })`.
 */

/** A scripted streaming answer: the chunks' JSON objects, sent as `data:` lines, then `data: [DONE]`. */
export interface FakeOpenAIStreamResponse {
  kind: 'stream';
  chunks: Record<string, unknown>[];
  /** Pause before each chunk, in ms (default 0). */
  delayMs?: number;
  /** Stop writing after this many chunks and keep the connection open until the client goes away (to test interrupts). */
  hangAfter?: number;
  /** Destroy the connection after this many chunks, as a broken network would. */
  disconnectAfter?: number;
  /** Leave out the final `data: [DONE]` (as an error chunk does). */
  noDone?: boolean;
}

/** A scripted HTTP error with the API's body `{ error: { message, type, code } }`. */
export interface FakeOpenAIErrorResponse {
  kind: 'error';
  status: number;
  /** API error type, e.g. `rate_limit_exceeded`, `server_error`, `invalid_request_error`. */
  errorType: string;
  message: string;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
}

/** The connection is destroyed without an answer (a network error for the client). */
export interface FakeOpenAIDisconnectResponse {
  kind: 'disconnect';
}

/**
 * A scripted answer. A streaming answer given to a request without
 * `stream: true` is sent as the `chat.completion` its chunks add up to.
 * `match`, when given, limits which request takes the answer (the first
 * queued answer that accepts a request serves it), so concurrent requests,
 * e.g. of parallel sub-agents, get theirs.
 */
export type FakeOpenAIResponse = (FakeOpenAIStreamResponse | FakeOpenAIErrorResponse | FakeOpenAIDisconnectResponse) & {
  match?: (request: RecordedOpenAIRequest) => boolean;
};

/** A request the fake received. */
export interface RecordedOpenAIRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, any>;
  /** Resolves when the client closed the connection or the answer ended. */
  closed: Promise<void>;
}

export interface FakeOpenAIServer {
  /** Base URL for a client's `baseURL`, e.g. `http://127.0.0.1:54321/v1`. */
  url: string;
  /** Every request so far, oldest first. */
  requests: RecordedOpenAIRequest[];
  /** Queues answers, served in order (see {@link FakeOpenAIResponse} `match`), one per request. */
  enqueue(...responses: FakeOpenAIResponse[]): void;
  /** Number of queued answers not yet served. */
  pending(): number;
  close(): Promise<void>;
}

/** Options of {@link startFakeOpenAIServer}. */
export interface FakeOpenAIServerOptions {
  /** Answers a request no queued answer takes (e.g. a scripted model for a demo). */
  respond?: (request: RecordedOpenAIRequest) => FakeOpenAIResponse | undefined;
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port. `GET /v1/models` lists
 * one model. A completion request with no queued answer (and none from
 * `respond`) gets a 500 `server_error` saying so, so a test that
 * under-scripts fails loudly.
 */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const queue: FakeOpenAIResponse[] = [];
  const requests: RecordedOpenAIRequest[] = [];
  const open = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    open.add(res);
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        open.delete(res);
        resolve();
      }),
    );
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'fake' }] }));
        return;
      }
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // Recorded as empty; the test will see it.
      }
      const request: RecordedOpenAIRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed };
      requests.push(request);
      const index = queue.findIndex((answer) => !answer.match || answer.match(request));
      const answer = index === -1 ? options.respond?.(request) : queue.splice(index, 1)[0];
      if (!answer) {
        sendError(res, { kind: 'error', status: 500, errorType: 'server_error', message: 'fake: no scripted response left' });
      } else if (answer.kind === 'error') {
        sendError(res, answer);
      } else if (answer.kind === 'disconnect') {
        res.socket?.destroy();
      } else if (body.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_fake' });
        res.end(JSON.stringify(accumulateCompletion(answer.chunks)));
      } else {
        const includeUsage = body.stream_options?.include_usage === true;
        void sendStream(res, includeUsage ? answer : { ...answer, chunks: answer.chunks.filter((c) => !isUsageChunk(c)) });
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
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

function sendError(res: ServerResponse, answer: FakeOpenAIErrorResponse): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': 'req_fake', ...answer.headers });
  res.end(JSON.stringify({ error: { message: answer.message, type: answer.errorType, param: null, code: answer.errorType } }));
}

async function sendStream(res: ServerResponse, answer: FakeOpenAIStreamResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': 'req_fake' });
  const limit = answer.hangAfter ?? answer.chunks.length;
  for (const [index, chunk] of answer.chunks.entries()) {
    if (index >= limit || res.destroyed) break;
    if (index === answer.disconnectAfter) {
      res.socket?.destroy();
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    const frame = `data: ${JSON.stringify(chunk)}\n\n`;
    // Before a scripted disconnect, each frame must have left: destroying the socket drops unsent data.
    if (answer.disconnectAfter === undefined) res.write(frame);
    else await new Promise<void>((resolve) => res.write(frame, () => resolve()));
  }
  if (answer.hangAfter !== undefined || res.destroyed) return;
  if (!answer.noDone) res.write('data: [DONE]\n\n');
  res.end();
}

function isUsageChunk(chunk: Record<string, unknown>): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage !== undefined;
}

/** A tool call of a scripted completion; its arguments (JSON) arrive in the given pieces. */
export interface ScriptToolCall {
  id: string;
  name: string;
  argumentChunks: string[];
}

/** Token counts the scripted completion reports (tokens), as the API names them. */
export interface ScriptCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Prompt tokens read from the cache (`prompt_tokens_details.cached_tokens`). */
  cached_tokens?: number;
}

export interface ScriptCompletion {
  /** Reasoning (`delta.reasoning_content`) in these pieces, before the text. */
  reasoning?: string[];
  /** Text (`delta.content`) in these pieces. */
  text?: string[];
  toolCalls?: ScriptToolCall[];
  /** Default `stop`, or `tool_calls` when there are tool calls. */
  finishReason?: string;
  model?: string;
  usage?: ScriptCompletionUsage;
  id?: string;
}

let completionCounter = 0;

/**
 * The chunks the Chat Completions API streams for one completion: a first
 * chunk with the role, reasoning and text deltas, per tool call a chunk with
 * its id and name and then its argument pieces (by `index`, so two calls are
 * two parallel tool calls), a chunk with the finish reason and empty delta,
 * then the usage chunk (`choices: []`; sent only when the request asked for it).
 */
export function completionChunks(completion: ScriptCompletion): Record<string, unknown>[] {
  const id = completion.id ?? `chatcmpl-fake-${++completionCounter}`;
  const model = completion.model ?? 'fake-model';
  const created = 1_764_000_000;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const toolCalls = completion.toolCalls ?? [];
  const chunks: Record<string, unknown>[] = [chunk({ role: 'assistant', content: '' })];
  for (const reasoning_content of completion.reasoning ?? []) chunks.push(chunk({ reasoning_content }));
  for (const content of completion.text ?? []) chunks.push(chunk({ content }));
  toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of call.argumentChunks) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, completion.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop')));
  const usage = completion.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  chunks.push({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [],
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    },
  });
  return chunks;
}

/** A streaming answer for one scripted completion. */
export function completionResponse(
  completion: ScriptCompletion,
  options: { delayMs?: number; hangAfter?: number; disconnectAfter?: number } = {},
): FakeOpenAIStreamResponse {
  return { kind: 'stream', chunks: completionChunks(completion), ...options };
}

/** Shorthand: a streamed text answer in the given pieces. */
export function openAITextResponse(
  text: string[],
  options: Omit<ScriptCompletion, 'text'> & { delayMs?: number } = {},
): FakeOpenAIStreamResponse {
  const { delayMs, ...completion } = options;
  return completionResponse({ ...completion, text }, delayMs !== undefined ? { delayMs } : {});
}

/** Shorthand: tool calls, each with its whole arguments split in two pieces, after optional text. */
export function openAIToolCallResponse(
  calls: { id: string; name: string; input: Record<string, unknown> }[],
  options: Omit<ScriptCompletion, 'toolCalls'> & { delayMs?: number } = {},
): FakeOpenAIStreamResponse {
  const { delayMs, ...completion } = options;
  return completionResponse(
    { ...completion, toolCalls: calls.map((call) => ({ id: call.id, name: call.name, argumentChunks: splitInTwo(JSON.stringify(call.input)) })) },
    delayMs !== undefined ? { delayMs } : {},
  );
}

/**
 * A stream that starts like `completion` and, after `after` of its chunks,
 * sends an error chunk `{ error: { message, type } }` and ends (no finish
 * reason, no `[DONE]`), as OpenAI-compatible servers report a failure mid-stream.
 */
export function openAIStreamErrorResponse(
  completion: ScriptCompletion,
  after: number,
  error: { message: string; type: string } = { message: 'The server had an error while processing your request.', type: 'server_error' },
): FakeOpenAIStreamResponse {
  return { kind: 'stream', chunks: [...completionChunks(completion).slice(0, after), { error: { ...error, code: null, param: null } }], noDone: true };
}

/**
 * The `chat.completion` a stream of chunks adds up to, as the API answers a
 * request without `stream: true`: content and reasoning joined, tool calls
 * with their arguments joined, the finish reason and the usage.
 */
export function accumulateCompletion(chunks: Record<string, unknown>[]): Record<string, unknown> {
  let id = 'chatcmpl-fake';
  let model = 'fake-model';
  let content = '';
  let reasoning = '';
  let finishReason: string | null = null;
  let usage: unknown;
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const chunk of chunks as Record<string, any>[]) {
    if (chunk.error) break;
    id = chunk.id ?? id;
    model = chunk.model ?? model;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    finishReason = choice.finish_reason ?? finishReason;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string') content += delta.content;
    if (typeof delta.reasoning_content === 'string') reasoning += delta.reasoning_content;
    for (const call of delta.tool_calls ?? []) {
      const slot = (calls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.function.name = call.function.name;
      if (call.function?.arguments) slot.function.arguments += call.function.arguments;
    }
  }
  return {
    id,
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content || null,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: finishReason ?? 'stop',
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function splitInTwo(text: string): string[] {
  const half = Math.ceil(text.length / 2);
  return text.length < 2 ? [text] : [text.slice(0, half), text.slice(half)];
}
