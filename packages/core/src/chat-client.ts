import type {
  ApprovalDecision,
  CompactResult,
  CreateSessionBody,
  Health,
  InterruptResult,
  LlmHealth,
  ModelConfig,
  SessionInfo,
  SessionMessages,
  ShutdownResult,
  TitleResult,
} from './api.js';
import { ChatApiError, CLIENT_ERROR_CODES } from './chat-api-error.js';
import { TERMINAL_EVENT_TYPES } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { decodeResponse, type ResponseTypes } from './protocol-shapes.js';
import { decodeEventStream, type EventDecoder, type StreamEvent } from './sse.js';
import { backoffDelayMs } from './util/backoff.js';
import { isRetryableStatus } from './util/retryable.js';
import { sleep } from './util/sleep.js';

/** How a {@link ChatClient} reopens a dropped event stream. */
export interface ReconnectOptions {
  /** Delay before the first reconnection attempt, in ms. Default 500. */
  initialDelayMs?: number;
  /** Ceiling of the doubling delay, in ms. Default 10 000. */
  maxDelayMs?: number;
  /**
   * How many connection attempts in a row may fail before the stream gives up
   * with `reconnect_failed`. A stream that opened resets the count. Default `Infinity`.
   */
  maxAttempts?: number;
  /**
   * After this many streams in a row ended without a new event id (a 200 with
   * an empty body, or only `ready`), the generator gives up with
   * `stream_stalled` instead of reconnecting forever to a server that keeps
   * failing the same way. The wait before each of those reconnections doubles
   * (from `initialDelayMs`, capped by `maxDelayMs`, with jitter). A stream that
   * brings a new event, or stays open for 15 s, resets the count. Default 5.
   */
  maxStalledStreams?: number;
}

export interface ChatClientOptions {
  /** Base URL of the API, e.g. `'/api'` (relative URLs work in browsers) or `'http://127.0.0.1:3000/api'`. */
  endpoint: string;
  /** The fetch to use. Default `globalThis.fetch`, looked up at each call. */
  fetch?: typeof fetch;
  /** Extra headers for every request (e.g. `Authorization`); a function is called before each request. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Passed to fetch, e.g. `'include'` for a cross-origin API that uses cookies. */
  credentials?: RequestCredentials;
  reconnect?: ReconnectOptions;
  /**
   * Checks each event of a stream. Default `decodeAgentEvent`: the JSON type of
   * every field, no schema library. For strict validation (enum members,
   * integers, ranges) pass `parseAgentEvent` from `@agent-chat/core/schemas`,
   * which loads zod. Errors reach the consumer as {@link ProtocolError}.
   */
  decodeEvent?: EventDecoder;
}

/** Where a subscription's connection is; see {@link SubscribeOptions.onConnectionChange}. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RequestOptions {
  /**
   * Cancels the request. A JSON request rejects with the signal's reason; an
   * event stream ends quietly and closes its connection.
   */
  signal?: AbortSignal;
}

export interface SubscribeOptions extends RequestOptions {
  /**
   * Resume after this event id (sent as `Last-Event-ID`). Without it the
   * server starts with a `snapshot` of the whole conversation.
   */
  after?: number;
  /**
   * End after the first event whose type is in `TERMINAL_EVENT_TYPES`, or after
   * a `snapshot` showing that no turn is running. Default false: follow the
   * session until the signal aborts.
   */
  untilTerminal?: boolean;
  /** Called on every change of the connection's state; `closed` once, when the generator ends. */
  onConnectionChange?: (state: ConnectionState) => void;
}

/** Options of {@link ChatClient.send}. */
export interface SendOptions extends RequestOptions {
  /** Ids of files uploaded with {@link uploadAttachment}, sent with the message (`text` may then be empty). */
  attachments?: readonly string[];
}

/** A stream open this long, in ms, was healthy even if it brought no event (an idle session behind a proxy that ends streams). */
const HEALTHY_STREAM_MS = 15_000;

/** Throws unless `response` is a 2xx event stream with a body; consumes the body of an error answer. */
async function expectEventStream(response: Response): Promise<void> {
  if (!response.ok) throw await ChatApiError.fromResponse(response);
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !/^text\/event-stream\b/i.test(type)) {
    await response.body?.cancel().catch(() => {});
    throw new ChatApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.invalidResponse,
      message: `Expected an event stream (text/event-stream), got ${type || 'no content type'}`,
    });
  }
}

interface StreamPlan {
  sessionId: string;
  /** Opens the first connection (the chat POST); absent for subscriptions, which open GET /events. */
  open?: (signal: AbortSignal) => Promise<Response>;
  /** Cursor of the first GET /events. */
  after?: number;
  untilTerminal: boolean;
  signal?: AbortSignal;
  onConnectionChange?: (state: ConnectionState) => void;
}

/**
 * Client of the agent-chat HTTP API (docs/api.md). Isomorphic: needs only
 * fetch, web streams, `TextDecoderStream` and `AbortController`.
 *
 * Event streams follow the WHATWG "Server-sent events" model: every event has a
 * per-session id, and a dropped stream is reopened with `Last-Event-ID` after an
 * exponential backoff with jitter, so the consumer sees each event exactly once,
 * in order. Each generator yields only the first `ready` event it receives; the
 * `ready` of a reconnection is dropped, since the consumer's view did not change.
 *
 * Every method throws {@link ChatApiError} for an error answer (the server's
 * `code`, `message` and `issues`) or a failed request (`network_error`).
 */
export class ChatClient {
  readonly #endpoint: string;
  readonly #fetch: typeof fetch;
  readonly #headers: ChatClientOptions['headers'];
  readonly #credentials: RequestCredentials | undefined;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxAttempts: number;
  readonly #maxStalledStreams: number;
  readonly #decodeEvent: EventDecoder | undefined;
  /**
   * The options the client was made with. The attachment functions
   * ({@link uploadAttachment} and its siblings) send with its endpoint, fetch,
   * headers and credentials; they are functions, not methods, so that a page
   * that never attaches a file does not load them.
   */
  readonly options: Readonly<ChatClientOptions>;

  constructor(options: ChatClientOptions) {
    this.options = options;
    this.#endpoint = options.endpoint.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#headers = options.headers;
    this.#credentials = options.credentials;
    this.#initialDelayMs = Math.max(0, options.reconnect?.initialDelayMs ?? 500);
    this.#maxDelayMs = Math.max(this.#initialDelayMs, options.reconnect?.maxDelayMs ?? 10_000);
    this.#maxAttempts = options.reconnect?.maxAttempts ?? Infinity;
    this.#maxStalledStreams = Math.max(1, options.reconnect?.maxStalledStreams ?? 5);
    this.#decodeEvent = options.decodeEvent;
  }

  /** `GET {endpoint}/health`: server status, session counts and the features it supports. */
  async health(options?: RequestOptions): Promise<Health> {
    return this.#json('GET', '/health', 'health', undefined, options?.signal);
  }

  /**
   * `GET {endpoint}/health/llm`: whether the model provider answers a minimal probe.
   * A provider that is down is a result (`ok: false`, the server's 503), not a thrown error.
   */
  async llmHealth(options?: RequestOptions): Promise<LlmHealth> {
    return this.#json('GET', '/health/llm', 'llmHealth', undefined, options?.signal, [503]);
  }

  /** `GET {endpoint}/config/model`: the global default model (`null`: the agent's own) and the models offered. */
  async getModelConfig(options?: RequestOptions): Promise<ModelConfig> {
    return this.#json('GET', '/config/model', 'modelConfig', undefined, options?.signal);
  }

  /**
   * `POST {endpoint}/config/model`: sets the global default model, used by every
   * session that has not chosen its own.
   *
   * @throws {ChatApiError} 422 `unknown_model` for a model the server does not offer; 403 `forbidden`.
   */
  async setDefaultModel(model: string, options?: RequestOptions): Promise<ModelConfig> {
    return this.#json('POST', '/config/model', 'modelConfig', { model }, options?.signal);
  }

  /**
   * `POST {endpoint}/session/:id/model`: the model of this session's next turns.
   *
   * @throws {ChatApiError} 422 `unknown_model`; 404 `session_not_found`.
   */
  async setSessionModel(id: string, model: string, options?: RequestOptions): Promise<SessionInfo> {
    const path = `/session/${encodeURIComponent(id)}/model`;
    return this.#json('POST', path, 'sessionInfo', { model }, options?.signal);
  }

  /**
   * `POST {endpoint}/title`: a short title (about six words) for a conversation
   * that starts with `text`. With `sessionId`, the session takes the title and
   * its subscribers receive a `title` event.
   */
  async generateTitle(text: string, sessionId?: string, options?: RequestOptions): Promise<TitleResult> {
    const body = sessionId === undefined ? { text } : { text, sessionId };
    return this.#json('POST', '/title', 'titleResult', body, options?.signal);
  }

  /**
   * `POST {endpoint}/undo/:id`: removes the last turn (the last user message and
   * everything after it). Subscribers receive the new conversation as a `snapshot` event.
   *
   * @throws {ChatApiError} 409 `turn_running` while a turn runs; 409 `nothing_to_undo`.
   */
  async undo(id: string, options?: RequestOptions): Promise<SessionMessages> {
    return this.#json('POST', `/undo/${encodeURIComponent(id)}`, 'sessionMessages', undefined, options?.signal);
  }

  /**
   * `POST {endpoint}/truncate/:id`: drops the user message number `userMessageIndex`
   * (0-based, counting user messages only) and everything after it: the first
   * step of edit-and-regenerate (then {@link ChatClient.send} the edited text).
   * Subscribers receive the new conversation as a `snapshot` event.
   *
   * @throws {ChatApiError} 409 `turn_running`; 422 `invalid_body` for an index past the last user message.
   */
  async truncate(id: string, userMessageIndex: number, options?: RequestOptions): Promise<SessionMessages> {
    const path = `/truncate/${encodeURIComponent(id)}`;
    return this.#json('POST', path, 'sessionMessages', { userMessageIndex }, options?.signal);
  }

  /**
   * `POST {endpoint}/compact/:id`: folds all but the last two turns into one
   * summary message. Token counts are the server's estimates of the history's size.
   *
   * @throws {ChatApiError} 409 `turn_running`.
   */
  async compact(id: string, options?: RequestOptions): Promise<CompactResult> {
    return this.#json('POST', `/compact/${encodeURIComponent(id)}`, 'compactResult', undefined, options?.signal);
  }

  /**
   * `POST {endpoint}/shutdown/:id`: stops the running turn and ends every open
   * stream of the session with `shutdown`. The session and its history remain.
   */
  async shutdown(id: string, options?: RequestOptions): Promise<ShutdownResult> {
    return this.#json('POST', `/shutdown/${encodeURIComponent(id)}`, 'shutdownResult', undefined, options?.signal);
  }

  /**
   * `POST {endpoint}/session`: creates a session of the current user. With
   * `reuseEmpty` (`?reuse=empty`) the server answers the user's newest empty
   * session instead when there is one (no message, no title, nothing running),
   * so that first visits and "new chat" clicks do not pile up empty sessions
   * against the per-user limit. A server older than 0.3 ignores it and creates.
   *
   * @throws {ChatApiError} 429 `session_limit`; 503 `too_many_sessions`.
   */
  async createSession(body: CreateSessionBody = {}, options?: RequestOptions & { reuseEmpty?: boolean }): Promise<SessionInfo> {
    return this.#json('POST', options?.reuseEmpty ? '/session?reuse=empty' : '/session', 'sessionInfo', body, options?.signal);
  }

  /** `GET {endpoint}/sessions`: the current user's sessions, newest first. */
  async listSessions(options?: RequestOptions): Promise<SessionInfo[]> {
    return (await this.#json('GET', '/sessions', 'sessionList', undefined, options?.signal)).sessions;
  }

  /** `GET {endpoint}/session/:id`. Throws `session_not_found` (404) for an unknown id. */
  async getSession(id: string, options?: RequestOptions): Promise<SessionInfo> {
    return this.#json('GET', `/session/${encodeURIComponent(id)}`, 'sessionInfo', undefined, options?.signal);
  }

  /** `DELETE {endpoint}/session/:id`: interrupts a running turn and deletes the session. */
  async deleteSession(id: string, options?: RequestOptions): Promise<void> {
    const response = await this.#request('DELETE', `/session/${encodeURIComponent(id)}`, {
      signal: options?.signal,
    });
    if (!response.ok) throw await ChatApiError.fromResponse(response);
    await response.body?.cancel();
  }

  /** `GET {endpoint}/session/:id/messages`: the conversation as of `lastEventId`. */
  async getMessages(id: string, options?: RequestOptions): Promise<SessionMessages> {
    const path = `/session/${encodeURIComponent(id)}/messages`;
    return this.#json('GET', path, 'sessionMessages', undefined, options?.signal);
  }

  /** `POST {endpoint}/interrupt/:id`: stops the running turn; `{interrupted: false}` when none ran. */
  async interrupt(id: string, options?: RequestOptions): Promise<InterruptResult> {
    return this.#json('POST', `/interrupt/${encodeURIComponent(id)}`, 'interruptResult', undefined, options?.signal);
  }

  /**
   * `POST {endpoint}/chat/:id` with `{text}` (and `attachments`, the ids of
   * files uploaded with {@link uploadAttachment}): starts a turn and yields its events,
   * the first `ready` included, up to and including the first terminal event
   * (`turn_complete`, `approval_required`, `error`, `interrupted`, `shutdown`).
   * A stream that drops before that is resumed from `GET /events/:id` with
   * `Last-Event-ID` (the last id seen, or the `ready` event's `lastEventId`); had
   * it dropped before even `ready`, the resumed stream starts with a `snapshot`,
   * and ends there if that shows no turn running. Breaking out of the loop or
   * aborting the signal closes the connection; the turn itself goes on on the
   * server (stop it with {@link ChatClient.interrupt}).
   *
   * @throws {ChatApiError} for an error answer to the POST (e.g. 409 `turn_running`),
   *   `network_error` when the POST got no answer (it is not repeated: the server
   *   may have started the turn), `reconnect_failed` when resuming gave up, `stream_stalled`
   *   when resumed streams kept ending without a new event, or the answer of a resume that
   *   failed for good (4xx).
   * @throws {ProtocolError} when the server sends an event that breaks the protocol.
   */
  send(id: string, text: string, options?: SendOptions): AsyncGenerator<StreamEvent> {
    // An `attachments` left undefined is not in the JSON.
    return this.#chat(id, { text, attachments: options?.attachments }, options);
  }

  /**
   * `POST {endpoint}/chat/:id` with `{approvals}`: answers the pending tool
   * calls of a turn waiting in `approval_required` and yields the resumed
   * turn's events like {@link ChatClient.send}.
   */
  sendApprovals(id: string, approvals: ApprovalDecision[], options?: RequestOptions): AsyncGenerator<StreamEvent> {
    return this.#chat(id, { approvals }, options);
  }

  /**
   * `GET {endpoint}/events/:id`: follows a session's events. Reconnects with
   * backoff (reset once a connection opens) from the last id seen, forever unless
   * `reconnect.maxAttempts` is set; network errors and 408/429/5xx answers are retried.
   * Aborting the signal ends the generator quietly.
   *
   * @throws {ChatApiError} for any other error answer (e.g. 404 `session_not_found`,
   *   400 `invalid_cursor`: an id the server never wrote, as its cluster waits for a lagging
   *   process before saying so; retrying the same cursor cannot help), not retried; `reconnect_failed` after `maxAttempts` failures in a row;
   *   `stream_stalled` after `maxStalledStreams` streams in a row that ended without a new event.
   * @throws {ProtocolError} when the server sends an event that breaks the protocol.
   */
  subscribe(id: string, options: SubscribeOptions = {}): AsyncGenerator<StreamEvent> {
    return this.#stream({
      sessionId: id,
      after: options.after,
      untilTerminal: options.untilTerminal ?? false,
      signal: options.signal,
      onConnectionChange: options.onConnectionChange,
    });
  }

  #chat(id: string, body: unknown, options?: RequestOptions): AsyncGenerator<StreamEvent> {
    return this.#stream({
      sessionId: id,
      open: (signal) =>
        this.#request('POST', `/chat/${encodeURIComponent(id)}`, {
          body,
          signal,
          accept: 'text/event-stream',
        }),
      untilTerminal: true,
      signal: options?.signal,
    });
  }

  /** Delay before reconnection attempt number `failures + 1`, in ms: `initialDelayMs * 2^failures`, capped, with "equal jitter". */
  #backoff(failures: number): number {
    return backoffDelayMs(failures + 1, { baseDelayMs: this.#initialDelayMs, maxDelayMs: this.#maxDelayMs });
  }

  async *#stream(plan: StreamPlan): AsyncGenerator<StreamEvent> {
    // One controller for every fetch of this generator, so that breaking out of
    // `for await` or aborting the caller's signal closes whichever connection is open.
    const controller = new AbortController();
    const onAbort = () => controller.abort(plan.signal?.reason);
    plan.signal?.addEventListener('abort', onAbort, { once: true });

    let connection: ConnectionState | undefined;
    const setConnection = (state: ConnectionState) => {
      if (state === connection) return;
      connection = state;
      plan.onConnectionChange?.(state);
    };

    let lastId = plan.after;
    let readySeen = false;
    let failures = 0;
    /** Streams in a row that ended without a new event id. */
    let stalls = 0;
    let open = plan.open;

    try {
      if (plan.signal?.aborted) return;
      setConnection('connecting');
      for (;;) {
        if (controller.signal.aborted) return;
        const posting = open !== undefined;
        let response: Response;
        try {
          if (open) {
            const post = open;
            // The chat POST is never repeated: the server may already run the turn.
            open = undefined;
            response = await post(controller.signal);
          } else {
            response = await this.#request('GET', `/events/${encodeURIComponent(plan.sessionId)}`, {
              signal: controller.signal,
              accept: 'text/event-stream',
              lastEventId: lastId,
            });
          }
          await expectEventStream(response);
        } catch (error) {
          if (controller.signal.aborted) return;
          if (posting || !(error instanceof ChatApiError) || !isRetryableStatus(error.status)) throw error;
          failures += 1;
          if (failures >= this.#maxAttempts) {
            throw new ChatApiError({
              status: error.status,
              code: CLIENT_ERROR_CODES.reconnectFailed,
              message: `Could not reopen the event stream of session ${plan.sessionId} after ${failures} attempt(s): ${error.message}`,
              cause: error,
            });
          }
          setConnection('reconnecting');
          await sleep(this.#backoff(failures), controller.signal);
          continue;
        }

        failures = 0;
        setConnection('open');
        const idAtOpen = lastId;
        const openedAt = Date.now();
        const reader = decodeEventStream(response.body!, this.#decodeEvent).getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const { id, event } = value;
            if (event.type === 'ready') {
              if (readySeen) continue;
              readySeen = true;
              // The chat POST's subscriber starts at the log's last id: resume from there
              // if the stream drops before its first event.
              if (posting && lastId === undefined) lastId = event.lastEventId;
            } else if (id !== undefined) {
              if (lastId !== undefined && id <= lastId) continue;
              lastId = id;
            }
            yield value;
            if (
              plan.untilTerminal &&
              (TERMINAL_EVENT_TYPES.has(event.type) || (event.type === 'snapshot' && !event.processing))
            ) {
              return;
            }
          }
        } catch (error) {
          if (controller.signal.aborted) return;
          if (error instanceof ProtocolError) throw error;
          // Anything else is the connection failing mid-stream: resume below.
        } finally {
          reader.cancel().catch(() => {});
        }
        // The stream ended or dropped before the consumer was done with it.
        if (lastId !== idAtOpen || Date.now() - openedAt >= HEALTHY_STREAM_MS) stalls = 0;
        else stalls += 1;
        if (stalls >= this.#maxStalledStreams) {
          throw new ChatApiError({
            status: response.status,
            code: CLIENT_ERROR_CODES.streamStalled,
            message:
              `The event stream of session ${plan.sessionId} ended ${stalls} times in a row without a new event; ` +
              'gave up reconnecting. The server may be failing to send this session (see its logs); reload to try again.',
          });
        }
        setConnection('reconnecting');
        await sleep(this.#backoff(stalls), controller.signal);
      }
    } finally {
      plan.signal?.removeEventListener('abort', onAbort);
      controller.abort();
      setConnection('closed');
    }
  }

  async #json<K extends keyof ResponseTypes>(
    method: string,
    path: string,
    answer: K,
    body: unknown,
    signal: AbortSignal | undefined,
    /** Error statuses whose body is still an answer of this kind. */
    answerStatuses: readonly number[] = [],
  ): Promise<ResponseTypes[K]> {
    const response = await this.#request(method, path, { body, signal });
    if (!response.ok && !answerStatuses.includes(response.status)) throw await ChatApiError.fromResponse(response);
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ChatApiError({
        status: response.status,
        code: CLIENT_ERROR_CODES.invalidResponse,
        message: `${method} ${path} answered with a body that is not JSON`,
        cause,
      });
    }
    try {
      return decodeResponse(answer, json);
    } catch (cause) {
      throw new ChatApiError({
        status: response.status,
        code: CLIENT_ERROR_CODES.invalidResponse,
        message: `${method} ${path} answered with an unexpected shape: ${(cause as Error).message}`,
        cause,
      });
    }
  }

  /**
   * Sends one request. Error answers are returned, not thrown: callers check `ok`.
   *
   * @throws {ChatApiError} `network_error` when fetch fails; the abort reason when `signal` aborted.
   */
  async #request(
    method: string,
    path: string,
    init: { body?: unknown; signal?: AbortSignal; accept?: string; lastEventId?: number },
  ): Promise<Response> {
    const configured = typeof this.#headers === 'function' ? await this.#headers() : this.#headers;
    const headers = new Headers(configured);
    headers.set('accept', init.accept ?? 'application/json');
    // Bodyless POSTs too: a cross-origin one is then never a CORS "simple request", so the browser
    // preflights it and the server's cross-origin check knows it came from a page CORS allows.
    if (init.body !== undefined || method === 'POST') headers.set('content-type', 'application/json');
    if (init.lastEventId !== undefined) headers.set('last-event-id', String(init.lastEventId));
    let response: Response;
    try {
      response = await this.#fetch(`${this.#endpoint}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        credentials: this.#credentials,
      });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw new ChatApiError({
        status: 0,
        code: CLIENT_ERROR_CODES.network,
        message: `${method} ${this.#endpoint}${path} failed: ${(cause as Error)?.message ?? String(cause)}`,
        cause,
      });
    }
    return response;
  }
}
