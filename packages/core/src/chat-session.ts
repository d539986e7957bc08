import type { ApprovalDecision, SessionMessages } from './api.js';
import { ChatApiError } from './chat-api-error.js';
import type { ChatClient } from './chat-client.js';
import type { AgentEvent } from './events.js';
import { createConversationState, reduce, stateFromSessionMessages, type ConversationState } from './reducer.js';
import type { StreamEvent } from './sse.js';
import { isRetryableStatus } from './util/retryable.js';
import { sleep } from './util/sleep.js';

/**
 * What a {@link ChatSession} needs from a client: core's {@link ChatClient} or
 * anything shaped like it (a mock transport, a proxy). `undo` and `truncate`
 * are optional; without them {@link ChatSession.undo} and
 * {@link ChatSession.truncate} do nothing and resolve false.
 */
export type ChatSessionClient = Pick<
  ChatClient,
  'createSession' | 'getMessages' | 'interrupt' | 'send' | 'sendApprovals' | 'subscribe'
> &
  Partial<Pick<ChatClient, 'undo' | 'truncate'>>;

/** Where a {@link ChatSession} remembers its session id: the part of the Web Storage API it uses. */
export type SessionIdStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * A request that failed or a turn that ended in an error, as a UI shows it:
 * plain data (not an `Error`; {@link ChatApiError} is the error a refused request throws).
 */
export interface ChatErrorInfo {
  /** Stable code: the protocol's (`agent_error`, ...), the HTTP API's (`session_not_found`, `turn_running`, ...) or the client's (`network_error`, ...). */
  code: string;
  message: string;
  /** Whether trying the same thing again may succeed: no answer (status 0), 408, 429 or 5xx (see `isRetryableStatus`). */
  retryable: boolean;
  /** The HTTP status, when a request was refused (0: no answer). */
  status?: number;
}

/**
 * The former name of {@link ChatErrorInfo}.
 * @deprecated Use `ChatErrorInfo`: an interface of plain data named like an `Error` class misled
 * (the server's own `ChatError` is one). This alias goes in the next major version.
 */
export type ChatError = ChatErrorInfo;

/**
 * `error` as a {@link ChatErrorInfo}: a {@link ChatApiError} keeps its code and
 * status; anything else gets its own string `code`, else `client_error`.
 */
export function toChatError(error: unknown): ChatErrorInfo {
  if (error instanceof ChatApiError) {
    return {
      code: error.code,
      message: error.message,
      retryable: isRetryableStatus(error.status),
      status: error.status,
    };
  }
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' ? code : 'client_error',
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  };
}

/** How many times {@link ChatSession.approve} sends decisions the server answered 503 `owner_unreachable`. */
const OWNER_UNREACHABLE_ATTEMPTS = 5;

/**
 * The events of `open()`; while it fails with 503 `owner_unreachable` before
 * any event (nothing was decided), waits the answer's `Retry-After` (1 to 30 s)
 * and opens it again, `OWNER_UNREACHABLE_ATTEMPTS` times in all.
 */
async function* retryOwnerUnreachable(open: () => AsyncIterable<StreamEvent>, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  for (let attempt = 1; ; attempt++) {
    let received = false;
    try {
      for await (const event of open()) {
        received = true;
        yield event;
      }
      return;
    } catch (error) {
      const unreachable = error instanceof ChatApiError && error.status === 503 && error.code === 'owner_unreachable';
      if (!unreachable || received || attempt >= OWNER_UNREACHABLE_ATTEMPTS || signal.aborted) throw error;
      const waitMs = Math.min(30_000, Math.max(1_000, error.retryAfterMs ?? 1_000));
      if (!(await sleep(waitMs, signal))) return;
    }
  }
}

/**
 * The storage key under which `<agent-chat>` and `@agent-chat/react` remember
 * the session of `endpoint`: `agent-chat:session:<endpoint>`.
 */
export function sessionStorageKey(endpoint: string): string {
  return `agent-chat:session:${endpoint}`;
}

export interface ChatSessionOptions {
  client: ChatSessionClient;
  /**
   * Session to open. Without it the session remembered under `storageKey` is
   * resumed, or a new one is created. An explicit session is remembered too
   * (unless `storageKey` is null), so a reload shows the one last picked.
   */
  sessionId?: string;
  /** Key under which the session id is remembered in `storage`; null or missing: nothing is remembered. See {@link sessionStorageKey}. */
  storageKey?: string | null;
  /**
   * Where to remember. Default `globalThis.localStorage`, looked up when used
   * (none on a server). Storage that throws (a sandboxed iframe, a full quota) remembers nothing.
   */
  storage?: SessionIdStorage;
  /**
   * Called after every change of the state this session exposes. `streamed` is
   * true when an event of a stream made it: those come in bursts, and a UI may
   * render them together once per animation frame. Any other change (session
   * opened, stream opened or closed, error, history replaced) should show at once.
   */
  onChange?: (streamed: boolean) => void;
  /** Called with every event applied to the conversation, in order, after `onChange`. */
  onEvent?: (event: AgentEvent, id: number | undefined) => void;
  /** Called when a connect opened a session (found, resumed or created), before a running turn is followed. */
  onSessionOpen?: (sessionId: string) => void;
  /** Called with every failed request of this session (also in {@link ChatSession.error}); turn errors come as `error` events. */
  onError?: (error: ChatErrorInfo) => void;
}

/** Reads one stream of events for {@link ChatSession}'s `#consume`. */
type OpenStream = (client: ChatSessionClient, signal: AbortSignal) => AsyncGenerator<StreamEvent>;

/**
 * One conversation with an agent-chat server, kept up to date: the session
 * controller shared by `<agent-chat>` and `@agent-chat/react`, framework-free.
 * It holds the {@link ConversationState} built by {@link reduce} and tells its
 * owner of every change through callbacks.
 *
 * - {@link ChatSession.connect} opens the session: the explicit `sessionId`,
 *   else the one remembered under `storageKey`, else a new one
 *   (`POST {endpoint}/session?reuse=empty`: the user's empty session when
 *   they have one, so first visits do not pile up empty sessions against the
 *   per-user limit). A remembered id the server no longer knows
 *   (404) is forgotten and replaced. A session it created is reused by the
 *   next connect, so a connect cancelled at once (React's StrictMode) leaves
 *   no second, empty session on the server.
 * - A running turn is followed from the snapshot's `lastEventId`
 *   (`GET {endpoint}/events/:id`), so a reload resumes with no gap and no duplicate.
 * - At most one event stream is open: opening one closes the previous first,
 *   since the reducer would drop the second stream's events as already seen.
 * - While a turn waits for approval the session keeps following it, so a
 *   decision taken elsewhere (another tab) shows up here.
 * - When a chat POST fails, the server may have started the turn anyway: the
 *   state is read again from `GET {endpoint}/session/:id/messages`.
 *
 * Nothing happens before `connect()` (no network, no browser global), so
 * creating one while rendering on a server is safe, and no callback is called
 * after `disconnect()` until the next connect. Methods do not throw: failed
 * requests land in {@link ChatSession.error} and `onError`.
 */
export class ChatSession {
  readonly #options: ChatSessionOptions;
  readonly #client: ChatSessionClient;
  #state: ConversationState = createConversationState();
  #ready = false;
  #failed = false;
  #error: ChatErrorInfo | undefined;
  /** A chat POST (send or approvals) is open: refuse another until its stream ends. */
  #posting = false;
  #stream: { controller: AbortController; done: Promise<void> } | undefined;
  /** Aborted by disconnect and by the next connect: ends everything in flight. */
  #lifecycle = new AbortController();
  /** The session this object created, not aborted with a connect so that the next connect reuses it. */
  #created: Promise<string> | undefined;
  /** Its id once known: a later connect reopens it like a remembered session. */
  #createdId: string | undefined;

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    this.#client = options.client;
  }

  /** The conversation as {@link reduce} built it; replaced, never mutated, on every change. */
  get state(): ConversationState {
    return this.#state;
  }

  /** The open session's id (also `state.sessionId`); undefined until opened. */
  get sessionId(): string | undefined {
    return this.#state.sessionId;
  }

  /** Whether the session is open: messages can be sent. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Whether the last connect could not open the session (see {@link ChatSession.error}). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Whether an event stream is being read (a turn runs, or one waiting for approval is followed). */
  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  /** The last failed request; cleared by a connect, a send, an approval and a history edit. Turn errors are in `state.error`. */
  get error(): ChatErrorInfo | undefined {
    return this.#error;
  }

  /** Aborted when this connection ends (disconnect, or the next connect): for the owner's own requests about this session. */
  get signal(): AbortSignal {
    return this.#lifecycle.signal;
  }

  /**
   * Whether {@link ChatSession.send} would send `text` now: open, no turn
   * running or being posted, and the text not blank or `attachments` not empty.
   */
  canSend(text: string, attachments?: readonly unknown[]): boolean {
    return this.#can('idle') && !!(text.trim() || attachments?.length);
  }

  /**
   * Starts over from the server's state: closes what the previous connect
   * opened, opens the session and follows a running turn. Returns the
   * function that disconnects this connect (a no-op once another connect began).
   */
  connect(): () => void {
    this.#lifecycle.abort();
    const lifecycle = (this.#lifecycle = new AbortController());
    void this.#open(lifecycle);
    return () => {
      if (this.#lifecycle === lifecycle) this.disconnect();
    };
  }

  /** Closes every request and stream of this session. The server's turn goes on (see {@link ChatSession.stop}). */
  disconnect(): void {
    this.#lifecycle.abort();
    this.#stream?.controller.abort();
    this.#stream = undefined;
    this.#posting = false;
  }

  /**
   * Sends a user message (`POST {endpoint}/chat/:id`) and follows the turn.
   * `attachments`: ids of files uploaded for it with `uploadAttachment`; with
   * one the text may be empty, and the user message lists them.
   * Resolves when the turn's stream ends (complete, waiting for approval,
   * stopped or failed) with true, or at once with false when nothing was sent
   * (see {@link ChatSession.canSend}).
   */
  async send(text: string, options?: { attachments?: readonly string[] }): Promise<boolean> {
    const attachments = options?.attachments;
    if (!this.canSend(text, attachments)) return false;
    const id = this.#state.sessionId!;
    await this.#consume((client, signal) => client.send(id, text, { signal, attachments }), true);
    return true;
  }

  /**
   * Answers the tool calls waiting for approval (`decision` per `toolCallId`,
   * optional `feedback` on a rejection, `input` to run with edited arguments)
   * and follows the resumed turn. Resolves when its stream ends with true;
   * false at once when nothing waits, `approvals` is empty or a POST is open.
   *
   * A 503 `owner_unreachable` (a cluster whose process running the turn does
   * not answer; nothing was decided) keeps the approval pending and sends it
   * again after the answer's `Retry-After` (1 s to 30 s), 5 attempts in all;
   * meanwhile the owner answers again, or its
   * lease runs out and the turn ends with `turn_lost`.
   */
  async approve(approvals: ApprovalDecision[]): Promise<boolean> {
    if (!this.#can('awaiting_approval') || approvals.length === 0) return false;
    const id = this.#state.sessionId!;
    await this.#consume(
      (client, signal) => retryOwnerUnreachable(() => client.sendApprovals(id, approvals, { signal }), signal),
      true,
    );
    return true;
  }

  /**
   * Stops the running turn (`POST {endpoint}/interrupt/:id`). An open stream
   * then ends with `interrupted`; with none open the state is read again from the server.
   */
  async stop(): Promise<void> {
    const id = this.#state.sessionId;
    if (!id || this.#state.status === 'idle') return;
    const lifecycle = this.#lifecycle;
    try {
      await this.#client.interrupt(id, { signal: lifecycle.signal });
      // With no stream open the `interrupted` event has no way in: read the outcome.
      if (!this.#stream) await this.#resync(lifecycle);
    } catch (error) {
      this.reportError(error, lifecycle.signal);
    }
  }

  /**
   * Undoes the last turn (`POST {endpoint}/undo/:id`) and shows the history
   * the server answers. False when not done: a turn running, no `client.undo`, or the request failed.
   */
  undo(): Promise<boolean> {
    const client = this.#client;
    return this.#editHistory(client.undo && ((id, signal) => client.undo!(id, { signal })));
  }

  /**
   * Removes the user message number `userMessageIndex` (from 0) and
   * everything after it (`POST {endpoint}/truncate/:id`) and shows the history
   * the server answers: the first step of edit-and-regenerate, before
   * {@link ChatSession.send} of the edited text. False when not done: a turn
   * running, no `client.truncate`, or the request failed.
   */
  truncate(userMessageIndex: number): Promise<boolean> {
    const client = this.#client;
    return this.#editHistory(client.truncate && ((id, signal) => client.truncate!(id, userMessageIndex, { signal })));
  }

  /**
   * Shows `error` as this session's {@link ChatSession.error} and passes it to
   * `onError`: for the owner's own requests about the session (a model
   * change, a part that failed to load). Ignored when `signal` (default: the
   * current connection's) is aborted.
   */
  reportError(error: unknown, signal: AbortSignal = this.#lifecycle.signal): void {
    if (signal.aborted) return;
    const detail = (this.#error = toChatError(error));
    this.#changed();
    this.#options.onError?.(detail);
  }

  // ---- session and streams ----

  async #open(lifecycle: AbortController): Promise<void> {
    await this.#closeStream();
    if (lifecycle.signal.aborted) return;
    this.#posting = this.#ready = this.#failed = false;
    this.#error = undefined;
    this.#state = createConversationState();
    this.#changed();

    const explicit = this.#options.sessionId;
    try {
      const id = explicit ?? this.#remember() ?? this.#createdId;
      if (id) {
        try {
          const body = await this.#client.getMessages(id, { signal: lifecycle.signal });
          if (lifecycle.signal.aborted) return;
          if (explicit) this.#remember(id);
          this.#show(stateFromSessionMessages(body, id), true);
          return;
        } catch (error) {
          if (explicit || !(error instanceof ChatApiError) || error.status !== 404) throw error;
          this.#remember(null);
          if (id === this.#createdId) this.#created = this.#createdId = undefined;
        }
      }
      const created = (this.#created ??= this.#client.createSession({}, { reuseEmpty: true }).then((info) => (this.#createdId = info.id)));
      created.catch(() => {
        if (this.#created === created) this.#created = undefined;
      });
      const createdId = await created;
      if (lifecycle.signal.aborted) return;
      if (!explicit) this.#remember(createdId);
      this.#show(createConversationState(createdId), true);
    } catch (error) {
      if (lifecycle.signal.aborted) return;
      this.#failed = true;
      this.reportError(error, lifecycle.signal);
    }
  }

  /** Reads the remembered id (no argument), remembers `id`, or forgets (null). Does nothing without a `storageKey`. */
  #remember(id?: string | null): string | undefined {
    const key = this.#options.storageKey;
    if (!key) return undefined;
    try {
      const storage = this.#options.storage ?? globalThis.localStorage;
      if (id === undefined) return storage?.getItem(key) ?? undefined;
      if (id === null) storage?.removeItem(key);
      else storage?.setItem(key, id);
    } catch {
      // Storage throws in sandboxed iframes, with cookies blocked, or when full: nothing remembered.
    }
    return undefined;
  }

  /**
   * Shows `state` (from the server) and follows its turn if one runs.
   * `opened`: the session was just opened, so it is ready and `onSessionOpen` is told.
   */
  #show(state: ConversationState, opened = false): void {
    this.#state = state;
    if (opened) {
      this.#ready = true;
      this.#options.onSessionOpen?.(state.sessionId!);
    }
    this.#changed();
    if (state.status !== 'idle') void this.#follow();
  }

  /** Follows the session after the newest event applied, until the turn ends or waits for approval. */
  async #follow(): Promise<void> {
    const id = this.#state.sessionId!;
    await this.#consume((client, signal) =>
      client.subscribe(id, { after: this.#state.lastEventId, untilTerminal: true, signal }),
    );
  }

  /** Rebuilds the state from `GET /session/:id/messages` and follows a turn still running. */
  async #resync(lifecycle: AbortController): Promise<void> {
    const id = this.#state.sessionId;
    if (!id) return;
    const body = await this.#client.getMessages(id, { signal: lifecycle.signal });
    if (!lifecycle.signal.aborted && !this.#stream) this.#show(stateFromSessionMessages(body, id));
  }

  /**
   * Reads one stream of events into the state, after closing the one open.
   * `post`: the stream is a chat POST's (send, approvals): it clears the
   * client error, no other POST is accepted meanwhile, and a failure reads the
   * state again (the server may have started the turn).
   */
  async #consume(open: OpenStream, post = false): Promise<void> {
    const lifecycle = this.#lifecycle;
    const controller = new AbortController();
    const stream = { controller, done: Promise.resolve() };
    let failed = false;
    if (post) {
      this.#posting = true;
      this.#error = undefined;
    }
    try {
      await this.#closeStream();
      if (lifecycle.signal.aborted) return;
      const onAbort = () => controller.abort();
      lifecycle.signal.addEventListener('abort', onAbort, { once: true });
      stream.done = (async () => {
        try {
          for await (const { id, event } of open(this.#client, controller.signal)) {
            if (controller.signal.aborted) break;
            this.#receive(event, id);
          }
        } catch (error) {
          if (!controller.signal.aborted) {
            failed = true;
            this.reportError(error, lifecycle.signal);
          }
        } finally {
          lifecycle.signal.removeEventListener('abort', onAbort);
        }
      })();
      this.#stream = stream;
      this.#changed();
      await stream.done;
    } finally {
      // A newer connect has its own POSTs: leave its flag alone.
      if (post && this.#lifecycle === lifecycle) this.#posting = false;
    }
    if (this.#stream !== stream) return;
    this.#stream = undefined;
    this.#changed();
    if (controller.signal.aborted || lifecycle.signal.aborted) return;
    if (failed) {
      if (post) await this.#resync(lifecycle).catch((error: unknown) => this.reportError(error, lifecycle.signal));
    } else if (this.#state.status === 'awaiting_approval') {
      // Keep listening while the turn waits, so a decision taken elsewhere shows up here too.
      void this.#follow();
    }
  }

  async #closeStream(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    this.#stream = undefined;
    stream.controller.abort();
    await stream.done;
  }

  #receive(event: AgentEvent, id: number | undefined): void {
    const next = reduce(this.#state, event, id);
    if (next === this.#state) return;
    this.#state = next;
    this.#changed(true);
    this.#options.onEvent?.(event, id);
  }

  #changed(streamed = false): void {
    this.#options.onChange?.(streamed);
  }

  /** Whether the session is open, no POST is open and the conversation is in `status`. */
  #can(status: ConversationState['status']): boolean {
    return this.#ready && !this.#posting && this.#state.status === status;
  }

  /** Replaces the history with what `call` (undo, truncate) answers; false when not done. */
  async #editHistory(call: ((id: string, signal: AbortSignal) => Promise<SessionMessages>) | undefined): Promise<boolean> {
    const lifecycle = this.#lifecycle;
    const id = this.#state.sessionId;
    if (!call || !id || !this.#can('idle')) return false;
    try {
      const body = await call(id, lifecycle.signal);
      if (lifecycle.signal.aborted) return false;
      this.#error = undefined;
      this.#show(stateFromSessionMessages(body, id));
      return true;
    } catch (error) {
      this.reportError(error, lifecycle.signal);
      return false;
    }
  }
}
