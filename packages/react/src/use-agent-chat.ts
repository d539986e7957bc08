import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { AgentEvent, ApprovalDecision, Attachment, ChatClient, ConversationState, RequestOptions } from '@agent-chat/core';
import type { UploadOptions } from '@agent-chat/core/attachments';
import { ChatStore, type ChatErrorInfo, type ChatStatus } from './chat-store.js';

/** Options of {@link useAgentChat}. Changing `endpoint`, `sessionId`, `client` or `storageKey` opens the chat anew. */
export interface UseAgentChatOptions {
  /** Base URL of the agent-chat API, e.g. `'/api'`. Default `/api`. Ignored when `client` is given. */
  endpoint?: string;
  /** Session to open; without it the remembered session is resumed, or a new one created. */
  sessionId?: string;
  /** A configured core `ChatClient` (auth headers, credentials, custom fetch). Keep it stable (create it once). */
  client?: ChatClient;
  /**
   * localStorage key remembering the session when no `sessionId` is given, `null`
   * for none. Default `agent-chat:session:<endpoint>`, the key `<agent-chat>` uses.
   */
  storageKey?: string | null;
  /** Called with every event applied to the conversation (`turn_complete`, `error`, ...). May change between renders. */
  onEvent?: (event: AgentEvent, id: number | undefined) => void;
}

/** What {@link useAgentChat} returns. */
export interface UseAgentChatResult {
  /** The conversation as core's `reduce()` built it: messages with their parts, pending approvals, usage, title. */
  state: ConversationState;
  /** `connecting`, `error` (the session could not be opened), `idle`, `running` or `awaiting_approval`. */
  status: ChatStatus;
  sessionId: string | undefined;
  /** Whether an event stream is open. */
  streaming: boolean;
  /** The last failed request, else the last turn's error. */
  error: ChatErrorInfo | undefined;
  /**
   * Sends a message and follows the turn, with `attachments` (ids from
   * `uploadAttachment`); resolves with false when nothing was sent (not ready,
   * a turn running, empty text and no files). Sent files are in the user
   * message's `attachments`.
   */
  send: (text: string, options?: { attachments?: readonly string[] }) => Promise<boolean>;
  /**
   * Uploads a file for the next message (`onProgress`: bytes sent); rejects with
   * the server's refusal (`ChatApiError`: 413, 415, 429, ...). Needs a server
   * whose `/health` says `features.attachments`.
   */
  uploadAttachment: (file: Blob, options?: UploadOptions) => Promise<Attachment>;
  /** Deletes an uploaded file that will not be sent. */
  deleteAttachment: (attachmentId: string, options?: RequestOptions) => Promise<void>;
  /** An attachment's bytes, read with the client's headers (show with `URL.createObjectURL`). */
  getAttachment: (attachmentId: string, options?: RequestOptions) => Promise<Blob>;
  /** The URL of an attachment's bytes; undefined before the session is open. */
  attachmentUrl: (attachmentId: string) => string | undefined;
  /** Answers the pending tool calls and follows the resumed turn; false when nothing was waiting. */
  approve: (approvals: ApprovalDecision[]) => Promise<boolean>;
  /** Interrupts the running turn. */
  stop: () => Promise<void>;
}

/**
 * A headless agent chat for apps that render their own UI: the state of one
 * conversation with an agent-chat server (docs/api.md), kept by core's
 * `ChatClient` and `reduce()` and read through `useSyncExternalStore`.
 *
 * On mount it opens the session and, like `<agent-chat>`, resumes a turn that
 * is still running (messages snapshot, then the events after its
 * `lastEventId` until the turn ends); one event stream at a time; on unmount
 * every request closes (the turn goes on on the server). Renders during
 * streaming are limited to one per animation frame.
 *
 * SSR-safe: rendering on a server touches no browser global and no network; it
 * renders the `connecting` state.
 *
 * Request failures do not throw: they show in `error` (and `status: 'error'`
 * when the session could not be opened).
 */
export function useAgentChat(options: UseAgentChatOptions = {}): UseAgentChatResult {
  const { endpoint, sessionId, client, storageKey } = options;
  const onEvent = useRef(options.onEvent);
  onEvent.current = options.onEvent;

  const store = useMemo(
    () =>
      new ChatStore({
        endpoint,
        sessionId,
        client,
        storageKey,
        onEvent: (event, id) => onEvent.current?.(event, id),
      }),
    [endpoint, sessionId, client, storageKey],
  );
  useEffect(() => store.connect(), [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);

  const actions = useMemo(
    () => ({
      send: (text: string, sendOptions?: { attachments?: readonly string[] }) => store.send(text, sendOptions),
      uploadAttachment: (file: Blob, uploadOptions?: UploadOptions) => store.uploadAttachment(file, uploadOptions),
      deleteAttachment: (attachmentId: string, requestOptions?: RequestOptions) => store.deleteAttachment(attachmentId, requestOptions),
      getAttachment: (attachmentId: string, requestOptions?: RequestOptions) => store.getAttachment(attachmentId, requestOptions),
      attachmentUrl: (attachmentId: string) => store.attachmentUrl(attachmentId),
      approve: (approvals: ApprovalDecision[]) => store.approve(approvals),
      stop: () => store.stop(),
    }),
    [store],
  );
  return { ...snapshot, ...actions };
}
