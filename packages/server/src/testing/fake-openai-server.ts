import { startFakeApiServer, type FakeAnswer, type FakeApiDialect, type FakeApiServer, type FakeApiServerOptions, type FakeStreamPacing, type RecordedRequest } from './fake-api-server.js';

/**
 * A local stand-in for the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`) for tests. It replays scripted answers in the
 * API's streaming format (`data:` + one compact JSON `chat.completion.chunk`
 * per line, `data: [DONE]` last, `content-type: text/event-stream`): text in
 * `delta.content`, reasoning in `delta.reasoning_content` (as DeepSeek, vLLM
 * and Ollama send it), `delta.tool_calls` whose arguments arrive in pieces,
 * usage in a last chunk with empty `choices` when the request asked for it
 * (`stream_options.include_usage`). It records every request, and can answer
 * HTTP errors with the API's error body `{ error: { message, type, code } }` or break a stream with an error chunk.
 * Point any OpenAI-compatible client at it, e.g.
 * `createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })`.
 */

/** A scripted streaming answer: the chunks' JSON objects, sent as `data:` lines, then `data: [DONE]`; `delayMs`, `hangAfter` and `disconnectAfter` count chunks. */
export interface FakeOpenAIStreamResponse extends FakeStreamPacing {
  kind: 'stream';
  chunks: Record<string, unknown>[];
  /** Leave out the final `data: [DONE]` (as an error chunk does). */
  noDone?: boolean;
}

/** A request the fake received. */
export type RecordedOpenAIRequest = RecordedRequest;

/**
 * A scripted answer (see {@link FakeAnswer}). A streaming answer given to a
 * request without `stream: true` is sent as the `chat.completion` its chunks add up to.
 */
export type FakeOpenAIResponse = FakeAnswer<FakeOpenAIStreamResponse>;

/** A running fake; `url` ends in `/v1`, for a client's `baseURL`. */
export type FakeOpenAIServer = FakeApiServer<FakeOpenAIResponse>;

/** The Chat Completions API's own ways: `/v1`, a model list, its error body, `data:` frames and `[DONE]`. */
const CHAT_COMPLETIONS_API: FakeApiDialect<FakeOpenAIStreamResponse> = {
  basePath: '/v1',
  preempt: (req, res) => {
    if (req.method !== 'GET' || !req.url?.endsWith('/models')) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'fake' }] }));
    return true;
  },
  requestIdHeader: 'x-request-id',
  unscriptedErrorType: 'server_error',
  errorBody: (answer) => ({ error: { message: answer.message, type: answer.errorType, param: null, code: answer.errorType } }),
  accumulate: (answer) => accumulateCompletion(answer.chunks),
  // The usage chunk only when the request asked for it, as the API does.
  frames: (answer, request) => {
    const includeUsage = request.body.stream_options?.include_usage === true;
    return answer.chunks.filter((chunk) => includeUsage || !isUsageChunk(chunk)).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  },
  trailer: (answer) => (answer.noDone ? undefined : 'data: [DONE]\n\n'),
};

/**
 * Starts the fake (see {@link startFakeApiServer}); `GET /v1/models` lists one
 * model, and a completion request nothing answers (no queued answer, nothing
 * from `options.respond`) gets a 500 `server_error`.
 */
export function startFakeOpenAIServer(options: FakeApiServerOptions<FakeOpenAIResponse> = {}): Promise<FakeOpenAIServer> {
  return startFakeApiServer(CHAT_COMPLETIONS_API, options);
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
export function completionResponse(completion: ScriptCompletion, pacing: FakeStreamPacing = {}): FakeOpenAIStreamResponse {
  return { kind: 'stream', chunks: completionChunks(completion), ...pacing };
}

/** Shorthand: a streamed text answer in the given pieces. */
export function openAITextResponse(text: string[], { delayMs, ...completion }: Omit<ScriptCompletion, 'text'> & { delayMs?: number } = {}): FakeOpenAIStreamResponse {
  return completionResponse({ ...completion, text }, { delayMs });
}

/** Shorthand: tool calls, each with its whole arguments split in two pieces, after optional text. */
export function openAIToolCallResponse(
  calls: { id: string; name: string; input: Record<string, unknown> }[],
  { delayMs, ...completion }: Omit<ScriptCompletion, 'toolCalls'> & { delayMs?: number } = {},
): FakeOpenAIStreamResponse {
  const toolCalls = calls.map((call) => ({ id: call.id, name: call.name, argumentChunks: splitInTwo(JSON.stringify(call.input)) }));
  return completionResponse({ ...completion, toolCalls }, { delayMs });
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
