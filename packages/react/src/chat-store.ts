import {
  ChatApiError,
  ChatClient,
  ChatSession,
  createFrameScheduler,
  sessionStorageKey,
  type AgentEvent,
  type ApprovalDecision,
  type Attachment,
  type RequestOptions,
  type ChatErrorInfo,
  type ConversationState,
} from '@agent-chat/core';
import { attachmentUrl, deleteAttachment, getAttachment, uploadAttachment, type UploadOptions } from '@agent-chat/core/attachments';

/** A request that failed or a turn that ended in an error: core's `ChatErrorInfo` (`code`, `message`, `retryable`, `status`). */
export type { ChatErrorInfo };
/**
 * The former name of {@link ChatErrorInfo}.
 * @deprecated Use `ChatErrorInfo`. This alias goes in the next major version.
 */
export type ChatError = ChatErrorInfo;

/**
 * Where the chat is, as one value for rendering: `connecting` until the session
 * is known, `error` when it could not be opened (see {@link ChatSnapshot.error}),
 * then the conversation's own status.
 */
export type ChatStatus = 'connecting' | 'error' | ConversationState['status'];

/** What {@link ChatStore.getSnapshot} returns; a new object on every change, so it can be compared by reference. */
export interface ChatSnapshot {
  /** The conversation as core's `reduce()` built it. */
  state: ConversationState;
  status: ChatStatus;
  sessionId: string | undefined;
  /** Whether an event stream is being read (a turn runs, or one waiting for approval is followed). */
  streaming: boolean;
  /** The last failed request, else the last turn's error; cleared when the user sends again. */
  error: ChatErrorInfo | undefined;
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

/**
 * One conversation with an agent-chat server as an external store
 * (`subscribe` / `getSnapshot`, the contract of React's `useSyncExternalStore`)
 * over core's {@link ChatSession}; {@link useAgentChat} wraps it.
 * Framework-free: usable from any UI library.
 *
 * It does nothing until {@link ChatStore.connect} (no network, no browser
 * global), so creating one while rendering on a server is safe. On connect it
 * opens the session (`GET {endpoint}/session/:id/messages`, or `POST {endpoint}/session`)
 * and, when a turn is running, follows it from the snapshot's `lastEventId` to
 * its end, the way `<agent-chat>` resumes after a reload: both are the same
 * `ChatSession`. At most one event stream is read at a time, and a session the
 * store created is reused by its next connect (React's StrictMode mounts twice).
 *
 * While a stream delivers events, listeners are notified at most once per
 * animation frame; the snapshot they read then holds every event received so far.
 */
export class ChatStore {
  readonly #listeners = new Set<() => void>();
  readonly #session: ChatSession;
  readonly #client: ChatClient;
  readonly #initial: ChatSnapshot;
  #snapshot: ChatSnapshot;
  /** Streamed changes are published once per animation frame (core's scheduler, the one the widget renders by). */
  readonly #frame = createFrameScheduler(() => this.#publish());

  constructor(options: ChatStoreOptions = {}) {
    const endpoint = options.endpoint ?? '/api';
    const key = options.storageKey === undefined ? sessionStorageKey(endpoint) : options.storageKey;
    this.#client = options.client ?? new ChatClient({ endpoint });
    this.#session = new ChatSession({
      client: this.#client,
      sessionId: options.sessionId,
      // The key remembers the session found or created without a `sessionId`; an explicit one is not written there.
      storageKey: options.sessionId ? null : key,
      onChange: (streamed) => this.#changed(streamed),
      onEvent: options.onEvent,
    });
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
    return this.#session.connect();
  }

  /** Closes every request and stream of this store. The server's turn is not stopped (see {@link ChatStore.stop}). */
  disconnect(): void {
    this.#session.disconnect();
  }

  /**
   * Sends a user message and follows the turn; `attachments`: ids of files
   * uploaded with {@link ChatStore.uploadAttachment} (the text may then be
   * empty). Resolves when the turn's stream ends (complete, waiting for
   * approval, stopped or failed) with true, or at once with false when nothing
   * was sent: not connected, a turn running, or empty text and no files.
   */
  send(text: string, options?: { attachments?: readonly string[] }): Promise<boolean> {
    return this.#session.send(text, options);
  }

  /**
   * Uploads a file for the next message (core's `uploadAttachment`, with this
   * store's client and session): `onProgress` reports the bytes sent. Rejects
   * with the server's refusal (413 `attachment_too_large`, 415
   * `unsupported_media_type`, 429 quota, ...) as a `ChatApiError`, or
   * `session_not_open` before the session is open. Aborted on disconnect.
   */
  async uploadAttachment(file: Blob, options: UploadOptions = {}): Promise<Attachment> {
    const { sessionId, signal } = this.#open(options.signal);
    return uploadAttachment(this.#client, sessionId, file, { ...options, signal });
  }

  /** Deletes an uploaded file that is not to be sent. Rejects like {@link ChatStore.uploadAttachment}. */
  async deleteAttachment(attachmentId: string, options: RequestOptions = {}): Promise<void> {
    const { sessionId, signal } = this.#open(options.signal);
    await deleteAttachment(this.#client, sessionId, attachmentId, { signal });
  }

  /** An attachment's bytes, read with the client's headers (for `URL.createObjectURL`). Rejects like {@link ChatStore.uploadAttachment}. */
  async getAttachment(attachmentId: string, options: RequestOptions = {}): Promise<Blob> {
    const { sessionId, signal } = this.#open(options.signal);
    return getAttachment(this.#client, sessionId, attachmentId, { signal });
  }

  /** The URL of an attachment's bytes (for a link; with bearer headers use {@link ChatStore.getAttachment}); undefined before the session is open. */
  attachmentUrl(attachmentId: string): string | undefined {
    const id = this.#session.sessionId;
    return id ? attachmentUrl(this.#client, id, attachmentId) : undefined;
  }

  /** The open session's id and a signal ending with the connection (and `signal`). */
  #open(signal: AbortSignal | undefined): { sessionId: string; signal: AbortSignal } {
    const sessionId = this.#session.sessionId;
    if (!sessionId || !this.#session.ready) {
      throw new ChatApiError({ status: 0, code: 'session_not_open', message: 'The session is not open yet; try again once it is.' });
    }
    const lifecycle = this.#session.signal;
    return { sessionId, signal: signal ? AbortSignal.any([signal, lifecycle]) : lifecycle };
  }

  /**
   * Answers the tool calls waiting for approval (`decision` per `toolCallId`,
   * optional `feedback` on a rejection, `input` to run with edited arguments)
   * and follows the resumed turn. Resolves when its stream ends; false when
   * nothing was waiting or `approvals` is empty.
   */
  approve(approvals: ApprovalDecision[]): Promise<boolean> {
    return this.#session.approve(approvals);
  }

  /** Stops the running turn (`POST {endpoint}/interrupt/:id`); the stream then ends with `interrupted`. */
  stop(): Promise<void> {
    return this.#session.stop();
  }

  #buildSnapshot(): ChatSnapshot {
    const session = this.#session;
    const state = session.state;
    const status: ChatStatus = session.ready ? state.status : session.failed ? 'error' : 'connecting';
    return {
      state,
      status,
      sessionId: state.sessionId,
      streaming: session.streaming,
      error: session.error ?? state.error,
    };
  }

  /**
   * Publishes a new snapshot. Changes made by streamed events are published
   * once per animation frame; everything else at once, with what a pending
   * frame would have published.
   */
  #changed(streamed: boolean): void {
    if (streamed) {
      this.#frame.schedule();
      return;
    }
    this.#frame.cancel();
    this.#publish();
  }

  #publish(): void {
    this.#snapshot = this.#buildSnapshot();
    for (const listener of [...this.#listeners]) listener();
  }
}
