import {
  ChatApiError,
  ChatClient,
  createConversationState,
  reduce,
  stateFromSessionMessages,
  type AgentEvent,
  type ApprovalDecision,
  type ConversationState,
  type StreamEvent,
} from '@agent-chat/core';

/**
 * Where the chat is, as one value for rendering: `connecting` until the session
 * is known, `error` when it could not be opened (see {@link ChatSnapshot.error}),
 * then the conversation's own status.
 */
export type ChatStatus = 'connecting' | 'error' | ConversationState['status'];

/** A request that failed or a turn that ended in an error. */
export interface ChatError {
  /** Stable code: the protocol's (`agent_error`, ...), the HTTP API's (`session_not_found`, `turn_running`, ...) or the client's (`network_error`, ...). */
  code: string;
  message: string;
  /** Whether trying the same thing again may succeed. */
  retryable: boolean;
  /** The HTTP status, when a request was refused (0: no answer). */
  status?: number;
}

/** What {@link ChatStore.getSnapshot} returns; a new object on every change, so it can be compared by reference. */
export interface ChatSnapshot {
  /** The conversation as core's `reduce()` built it. */
  state: ConversationState;
  status: ChatStatus;
  sessionId: string | undefined;
  /** Whether an event stream is being read (a turn runs, or one waiting for approval is followed). */
  streaming: boolean;
  /** The last failed request, else the last turn's error; cleared when the user sends again. */
  error: ChatError | undefined;
}

export interface ChatStoreOptions {
  /** Base URL of the agent-chat API. Default `/api`. Ignored when `client` is given. */
  endpoint?: string;
  /**
   * Session to open. Without it the session remembered under `storageKey` is
   * resumed, or a new one is created (and remembered).
   */
  sessionId?: string;
  /** A configured client (auth headers, credentials, custom fetch). */
  client?: ChatClient;
  /**
   * localStorage key that remembers the session when no `sessionId` is given;
   * `null` to remember nothing. Default: the key `<agent-chat>` uses for the same
   * endpoint (`agent-chat:session:<endpoint>`), so a page may swap the element
   * for a custom UI and keep its conversation.
   */
  storageKey?: string | null;
  /** Called with every event applied to the conversation, in order, after the state changed. */
  onEvent?: (event: AgentEvent, id: number | undefined) => void;
}

/** Longest wait for an animation frame before notifying anyway (background tabs get none), in ms. */
const FRAME_FALLBACK_MS = 120;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage access throws in sandboxed iframes and with cookies blocked.
    return undefined;
  }
}

function toChatError(error: unknown): ChatError {
  if (error instanceof ChatApiError) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.status === 0 || error.status === 429 || error.status >= 500,
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

/**
 * One conversation with an agent-chat server as an external store
 * (`subscribe` / `getSnapshot`, the contract of React's `useSyncExternalStore`),
 * built on core's {@link ChatClient} and `reduce()`; {@link useAgentChat} wraps it.
 * Framework-free: usable from any UI library.
 *
 * It does nothing until {@link ChatStore.connect} (no network, no browser
 * global), so creating one while rendering on a server is safe. On connect it
 * opens the session (`GET {endpoint}/session/:id/messages`, or `POST {endpoint}/session`)
 * and, when a turn is running, follows it from the snapshot's `lastEventId` to
 * its end, the way `<agent-chat>` resumes after a reload. At most one event
 * stream is read at a time: opening one closes the previous one first, since
 * the reducer would drop the second stream's events as duplicates.
 *
 * While a stream delivers events, listeners are notified at most once per
 * animation frame; the snapshot they read then holds every event received so far.
 */
export class ChatStore {
  readonly #options: ChatStoreOptions;
  readonly #listeners = new Set<() => void>();
  readonly #client: ChatClient;
  readonly #initial: ChatSnapshot;
  #snapshot: ChatSnapshot;

  #state: ConversationState = createConversationState();
  #ready = false;
  #failed = false;
  #error: ChatError | undefined;
  /** A chat POST (send or approvals) is open: refuse another until its stream ends. */
  #posting = false;
  #stream: { controller: AbortController; done: Promise<void> } | undefined;
  /** Aborted by {@link ChatStore.disconnect}; ends everything in flight. */
  #lifecycle = new AbortController();
  #notifyPending = false;
  /**
   * The session this store created, kept across reconnections: a connect that
   * is cancelled at once (React's StrictMode mounts twice) must not leave a
   * second, empty session on the server.
   */
  #created: Promise<string> | undefined;
  /** Its id once known: a later connect reopens it like a remembered session. */
  #createdId: string | undefined;

  constructor(options: ChatStoreOptions = {}) {
    this.#options = options;
    this.#client = options.client ?? new ChatClient({ endpoint: options.endpoint ?? '/api' });
    this.#initial = this.#snapshot = this.#buildSnapshot();
  }

  /** Registers a listener called after every change; returns the function that removes it. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The current snapshot; the same object until something changes. */
  getSnapshot = (): ChatSnapshot => this.#snapshot;

  /** The snapshot a server renders: always the initial, `connecting` one. */
  getServerSnapshot = (): ChatSnapshot => this.#initial;

  /**
   * Opens the session and follows a running turn. Returns the function that
   * disconnects (closes every request and stream; the turn goes on on the
   * server). Connecting again starts over from the server's state, so
   * mounting, unmounting and remounting (React's StrictMode) ends in one live connection.
   */
  connect(): () => void {
    this.#lifecycle.abort();
    const lifecycle = (this.#lifecycle = new AbortController());
    void this.#open(lifecycle);
    return () => this.disconnect();
  }

  /** Closes every request and stream of this store. The server's turn is not stopped (see {@link ChatStore.stop}). */
  disconnect(): void {
    this.#lifecycle.abort();
    this.#stream?.controller.abort();
    this.#stream = undefined;
    this.#posting = false;
  }

  /**
   * Sends a user message and follows the turn. Resolves when the turn's stream
   * ends (complete, waiting for approval, stopped or failed) with true, or at
   * once with false when nothing was sent: not connected, a turn running, or empty text.
   */
  async send(text: string): Promise<boolean> {
    const id = this.#state.sessionId;
    if (!this.#ready || !id || this.#posting || this.#state.status !== 'idle' || !text.trim()) return false;
    this.#error = undefined;
    await this.#consume((client, signal) => client.send(id, text, { signal }), { post: true });
    return true;
  }

  /**
   * Answers the tool calls waiting for approval (`decision` per `toolCallId`,
   * optional `feedback` on a rejection, `input` to run with edited arguments)
   * and follows the resumed turn. Resolves when its stream ends; false when
   * nothing was waiting or `approvals` is empty.
   */
  async approve(approvals: ApprovalDecision[]): Promise<boolean> {
    const id = this.#state.sessionId;
    if (!this.#ready || !id || this.#posting || approvals.length === 0) return false;
    if (this.#state.status !== 'awaiting_approval') return false;
    this.#error = undefined;
    await this.#consume((client, signal) => client.sendApprovals(id, approvals, { signal }), { post: true });
    return true;
  }

  /** Stops the running turn (`POST {endpoint}/interrupt/:id`); the stream then ends with `interrupted`. */
  async stop(): Promise<void> {
    const id = this.#state.sessionId;
    if (!id || this.#state.status === 'idle') return;
    const lifecycle = this.#lifecycle;
    try {
      await this.#client.interrupt(id, { signal: lifecycle.signal });
      // With no stream open the `interrupted` event has no way in: read the outcome.
      if (!this.#stream) await this.#resync();
    } catch (error) {
      this.#fail(error, lifecycle);
    }
  }

  // ---- session and streams ----

  async #open(lifecycle: AbortController): Promise<void> {
    await this.#closeStream();
    this.#posting = false;
    this.#ready = false;
    this.#failed = false;
    this.#error = undefined;
    this.#state = createConversationState();
    this.#changed();

    const { sessionId: explicit, storageKey } = this.#options;
    const key = storageKey === undefined ? `agent-chat:session:${this.#options.endpoint ?? '/api'}` : storageKey;
    const remembered = explicit || key === null ? undefined : (storage()?.getItem(key) ?? undefined);
    try {
      const id = explicit ?? remembered ?? this.#createdId;
      if (id) {
        try {
          const body = await this.#client.getMessages(id, { signal: lifecycle.signal });
          if (lifecycle.signal.aborted) return;
          this.#ready = true;
          this.#state = stateFromSessionMessages(body, id);
          this.#changed();
          if (this.#state.status !== 'idle') void this.#follow();
          return;
        } catch (error) {
          if (explicit || !(error instanceof ChatApiError) || error.status !== 404) throw error;
          if (key !== null) storage()?.removeItem(key);
          if (id === this.#createdId) this.#created = this.#createdId = undefined;
        }
      }
      // Not aborted with the lifecycle: a later connect of this store reuses the answer.
      const created = (this.#created ??= this.#client.createSession({}).then((info) => (this.#createdId = info.id)));
      created.catch(() => {
        if (this.#created === created) this.#created = undefined;
      });
      const createdId = await created;
      if (lifecycle.signal.aborted) return;
      if (!explicit && key !== null) storage()?.setItem(key, createdId);
      this.#ready = true;
      this.#state = createConversationState(createdId);
      this.#changed();
    } catch (error) {
      if (lifecycle.signal.aborted) return;
      this.#failed = true;
      this.#fail(error, lifecycle);
    }
  }

  /** Follows the session after the newest event applied, until the turn ends or waits for approval. */
  async #follow(): Promise<void> {
    const id = this.#state.sessionId;
    if (!id) return;
    await this.#consume((client, signal) =>
      client.subscribe(id, { after: this.#state.lastEventId, untilTerminal: true, signal }),
    );
  }

  /** Rebuilds the state from `GET /session/:id/messages` and follows a turn still running. */
  async #resync(): Promise<void> {
    const id = this.#state.sessionId;
    const lifecycle = this.#lifecycle;
    if (!id) return;
    const body = await this.#client.getMessages(id, { signal: lifecycle.signal });
    if (lifecycle.signal.aborted || this.#stream) return;
    this.#state = stateFromSessionMessages(body, id);
    this.#changed();
    if (this.#state.status !== 'idle') void this.#follow();
  }

  async #consume(
    open: (client: ChatClient, signal: AbortSignal) => AsyncGenerator<StreamEvent>,
    options: { post?: boolean } = {},
  ): Promise<void> {
    const lifecycle = this.#lifecycle;
    if (options.post) this.#posting = true;
    await this.#closeStream();
    if (lifecycle.signal.aborted) {
      if (options.post && this.#lifecycle === lifecycle) this.#posting = false;
      return;
    }

    const controller = new AbortController();
    const onAbort = () => controller.abort();
    lifecycle.signal.addEventListener('abort', onAbort, { once: true });
    let failed = false;
    const done = (async () => {
      try {
        for await (const { id, event } of open(this.#client, controller.signal)) {
          if (controller.signal.aborted) break;
          this.#receive(event, id);
        }
      } catch (error) {
        if (!controller.signal.aborted) {
          failed = true;
          this.#fail(error, lifecycle);
        }
      } finally {
        lifecycle.signal.removeEventListener('abort', onAbort);
      }
    })();
    const stream = { controller, done };
    this.#stream = stream;
    this.#changed();
    try {
      await done;
    } finally {
      if (options.post && this.#lifecycle === lifecycle) this.#posting = false;
    }
    if (this.#stream !== stream) return;
    this.#stream = undefined;
    this.#changed(true);
    if (controller.signal.aborted || lifecycle.signal.aborted) return;
    if (failed) {
      // The POST may have failed after the server started the turn: ask what happened.
      if (options.post) await this.#resync().catch((error: unknown) => this.#fail(error, lifecycle));
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
    this.#changed(false, true);
    this.#options.onEvent?.(event, id);
  }

  #fail(error: unknown, lifecycle: AbortController): void {
    if (lifecycle.signal.aborted) return;
    this.#error = toChatError(error);
    this.#changed(true);
  }

  #buildSnapshot(): ChatSnapshot {
    const state = this.#state;
    const status: ChatStatus = this.#ready ? state.status : this.#failed ? 'error' : 'connecting';
    return {
      state,
      status,
      sessionId: state.sessionId,
      streaming: this.#stream !== undefined,
      error: this.#error ?? state.error,
    };
  }

  /**
   * Publishes a new snapshot. Changes made by streamed events (`throttled`) are
   * published once per animation frame; everything else at once (`flush`
   * also publishes what a pending frame would have).
   */
  #changed(flush = false, throttled = false): void {
    if (!throttled || flush) {
      this.#notifyPending = false;
      this.#publish();
      return;
    }
    if (this.#notifyPending) return;
    this.#notifyPending = true;
    const run = () => {
      if (!this.#notifyPending) return;
      this.#notifyPending = false;
      this.#publish();
    };
    const timer = setTimeout(run, FRAME_FALLBACK_MS);
    if (typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(() => {
        clearTimeout(timer);
        run();
      });
    }
  }

  #publish(): void {
    this.#snapshot = this.#buildSnapshot();
    for (const listener of [...this.#listeners]) listener();
  }
}
