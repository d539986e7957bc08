import type { Interrupt, Message, ResumeEntry, RunAgentInput } from '@ag-ui/core';
import type { ApprovalDecision, InterruptResult, SessionInfo, SessionMessages } from '../api.js';
import { ChatApiError, CLIENT_ERROR_CODES } from '../chat-api-error.js';
import type { RequestOptions } from '../chat-client.js';
import type { ChatSessionClient, SessionIdStorage } from '../chat-session.js';
import { TERMINAL_EVENT_TYPES, type AgentEvent } from '../events.js';
import { createConversationState, reduce, stateFromSessionMessages, type ConversationState } from '../reducer.js';
import type { StreamEvent } from '../sse.js';
import { AgUiToAgentChat } from './from-ag-ui.js';
import { toAgUiMessages } from './messages.js';
import { readAgUiEvents } from './read-events.js';
import { resumeFromApprovals } from './resume.js';

/** Options of {@link AgUiChatClient}. */
export interface AgUiChatClientOptions {
  /** The AG-UI run URL: `POST` takes a `RunAgentInput` and answers with AG-UI events as SSE. */
  url: string;
  /** Extra headers for every run (e.g. `Authorization`); a function is called before each run. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Passed to fetch, e.g. `'include'` for a cross-origin agent that uses cookies. */
  credentials?: RequestCredentials;
  /** The fetch to use. Default `globalThis.fetch`, looked up at each run. */
  fetch?: typeof fetch;
  /**
   * Where each thread's conversation is kept, so a reload shows it and can
   * answer an interrupt it was waiting on (AG-UI has no history request).
   * Default `globalThis.sessionStorage`, looked up when used; null keeps it in memory only.
   */
  storage?: SessionIdStorage | null;
  /** `RunAgentInput.tools`, `context`, `state` and `forwardedProps` of every run. Default: none. */
  runInput?: Partial<Pick<RunAgentInput, 'tools' | 'context' | 'state' | 'forwardedProps'>>;
  /** Makes thread, run and message ids. Default `crypto.randomUUID()`. */
  newId?: () => string;
}

/** What a thread keeps across reloads (in `storage`, as JSON). */
interface StoredThread {
  conversation: SessionMessages;
  /** The turn waiting for answers to its interrupts. */
  waiting?: { turnId: string; assistantMessageId: string; interrupts: Interrupt[] };
  /** Interrupts given up by a Stop, for the next run to cancel. */
  abandoned?: Interrupt[];
}

interface Thread {
  id: string;
  /** When this client opened or read it, in ms since the epoch. */
  createdAt: number;
  state: ConversationState;
  mapper: AgUiToAgentChat;
  /** The run in flight, and whether the user stopped it. */
  run?: { controller: AbortController; stopped: boolean };
  /** Interrupts the user gave up on (Stop while they waited): the next run cancels them. */
  abandoned?: Interrupt[];
  /** Wakes a `subscribe` waiting on this thread with an event that happened outside a run. */
  notify?: (event: AgentEvent) => void;
}

/** A thread's conversation as `getMessages` returns it; an AG-UI thread has no event log, so `lastEventId` is 0. */
function sessionMessagesOf(state: ConversationState): SessionMessages {
  return {
    messages: state.messages,
    pendingApprovals: state.pendingApprovals,
    processing: state.status !== 'idle',
    ...(state.turnId !== undefined && state.status !== 'idle' ? { turnId: state.turnId } : {}),
    ...(state.title !== undefined ? { title: state.title } : {}),
    ...(state.usage.session ? { usage: state.usage.session } : {}),
    lastEventId: 0,
  };
}

/** How often a run in progress saves its thread, in ms. */
const SAVE_INTERVAL_MS = 1000;

/** The `storage` key of a thread's conversation: `agent-chat:ag-ui-thread:<threadId>`. */
export function agUiThreadStorageKey(threadId: string): string {
  return `agent-chat:ag-ui-thread:${threadId}`;
}

const randomId = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

/**
 * A {@link ChatSessionClient} for any AG-UI 1.0 agent
 * (https://docs.ag-ui.com), so `ChatSession`, `<agent-chat protocol="ag-ui">`
 * and `@agent-chat/react` work on it as on an agent-chat server.
 *
 * A session is an AG-UI thread (`threadId`); the conversation is built here
 * by the same reducer (`reduce`) from the agent's events (mapped by
 * {@link AgUiToAgentChat}) and kept in `storage`. `send` runs the agent
 * (`POST url` with a `RunAgentInput` whose `messages` are the conversation
 * as AG-UI messages plus the new user message); an interrupt outcome shows
 * as `approval_required`, and `sendApprovals` answers it with a new run
 * whose `resume[]` carries the decisions (`payload: {approved, input?,
 * feedback?}`, edited arguments in `input`); `interrupt` aborts the run's
 * request, which ends the turn with `interrupted`. AG-UI has no history, undo,
 * truncate, sessions list or model choice: `health`, `undo`, `truncate` and
 * the model methods are absent, so a UI hides their controls; `listSessions`
 * knows only the threads this client saw. Methods do not throw synchronously;
 * failed requests reject (or end the stream) with a `ChatApiError`.
 */
export class AgUiChatClient implements ChatSessionClient {
  readonly #options: AgUiChatClientOptions;
  readonly #newId: () => string;
  readonly #threads = new Map<string, Thread>();

  constructor(options: AgUiChatClientOptions) {
    this.#options = options;
    this.#newId = options.newId ?? randomId;
  }

  /** Starts a new thread (no request: an AG-UI thread exists once a run names it). */
  async createSession(): Promise<SessionInfo> {
    const thread = this.#newThread(this.#newId());
    this.#save(thread);
    return this.#info(thread);
  }

  /** The threads this client opened or read (AG-UI has no list of threads). */
  async listSessions(): Promise<SessionInfo[]> {
    return [...this.#threads.values()].map((thread) => this.#info(thread));
  }

  /** Forgets a thread here and in `storage` (the agent keeps whatever it keeps). */
  async deleteSession(id: string): Promise<void> {
    this.#threads.get(id)?.run?.controller.abort();
    this.#threads.delete(id);
    try {
      this.#storage()?.removeItem(agUiThreadStorageKey(id));
    } catch {
      // Storage blocked: nothing was kept there.
    }
  }

  /**
   * The thread's conversation as this client (or, after a reload, its
   * `storage`) knows it. A run that a reload cut off shows as interrupted.
   *
   * @throws {ChatApiError} 404 `session_not_found` for a thread it does not know.
   */
  async getMessages(id: string): Promise<SessionMessages> {
    const thread = this.#threads.get(id) ?? this.#load(id);
    if (!thread) throw new ChatApiError({ status: 404, code: 'session_not_found', message: `No AG-UI thread ${id} in this browser.` });
    if (thread.state.status === 'running' && !thread.run) this.#apply(thread, { type: 'interrupted', turnId: thread.state.turnId ?? '' });
    return sessionMessagesOf(thread.state);
  }

  /** Runs the agent on `text` after the conversation so far; yields our events as they come. */
  send(id: string, text: string, options?: RequestOptions): AsyncGenerator<StreamEvent> {
    const thread = this.#thread(id);
    const userMessage = { id: this.#newId(), text, createdAt: Date.now() };
    const messages: Message[] = [...toAgUiMessages(thread.state.messages).messages, { id: userMessage.id, role: 'user', content: text }];
    // Interrupts left open (given up by a Stop, or still pending after a failed answer) are cancelled: AG-UI wants each answered.
    const open = [...(thread.abandoned ?? []), ...thread.mapper.abandonInterrupts()];
    thread.abandoned = undefined;
    const cancelled = open.map((i): ResumeEntry => ({ interruptId: i.id, status: 'cancelled' }));
    return this.#run(thread, messages, cancelled.length > 0 ? cancelled : undefined, userMessage, options?.signal);
  }

  /**
   * Answers the interrupts of the waiting turn with a new run: `resume[]`
   * holds one entry per interrupt (see `resumeFromApprovals`).
   */
  sendApprovals(id: string, approvals: ApprovalDecision[], options?: RequestOptions): AsyncGenerator<StreamEvent> {
    const thread = this.#thread(id);
    const resume = resumeFromApprovals(thread.mapper.pendingInterrupts, approvals);
    // What our server reports for the user's decisions, so the calls show approved (with the edit) or rejected.
    const decided = approvals.map(
      (d): AgentEvent =>
        d.decision === 'approve'
          ? { type: 'tool_state_change', toolCallId: d.toolCallId, state: 'approved', ...(d.input !== undefined ? { input: d.input } : {}) }
          : { type: 'tool_state_change', toolCallId: d.toolCallId, state: 'rejected', ...(d.feedback !== undefined ? { feedback: d.feedback } : {}) },
    );
    return this.#run(thread, toAgUiMessages(thread.state.messages).messages, resume, undefined, options?.signal, decided);
  }

  /**
   * Nothing to follow on the agent's side: an AG-UI agent speaks only in
   * answer to a run. Waits until `signal` aborts, so that a session waiting
   * for approval stays still, and yields what happens to the thread meanwhile
   * outside a run (a Stop of the waiting turn: `interrupted`).
   */
  async *subscribe(id: string, options: RequestOptions = {}): AsyncGenerator<StreamEvent> {
    const { signal } = options;
    const thread = this.#threads.get(id);
    if (!signal || signal.aborted || !thread) return;
    const event = await new Promise<AgentEvent | undefined>((resolve) => {
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
      thread.notify = resolve;
    });
    if (thread.notify) thread.notify = undefined;
    if (event) yield { event };
  }

  /**
   * Stops the thread's turn: aborts the run's request (a well-behaved agent
   * stops on the disconnect), or gives up the interrupts a turn waits on (the
   * next run cancels them in its `resume[]`); the turn ends `interrupted`.
   */
  async interrupt(id: string): Promise<InterruptResult> {
    const thread = this.#threads.get(id);
    const run = thread?.run;
    if (run) {
      run.stopped = true;
      run.controller.abort();
      return { interrupted: true };
    }
    if (thread?.state.status !== 'awaiting_approval') return { interrupted: false };
    thread.abandoned = thread.mapper.abandonInterrupts();
    const event: AgentEvent = { type: 'interrupted', turnId: thread.state.turnId ?? '' };
    this.#apply(thread, event);
    this.#save(thread);
    const notify = thread.notify;
    thread.notify = undefined;
    notify?.(event);
    return { interrupted: true };
  }

  async *#run(
    thread: Thread,
    messages: Message[],
    resume: ResumeEntry[] | undefined,
    userMessage: { id: string; text: string; createdAt: number } | undefined,
    signal: AbortSignal | undefined,
    before: AgentEvent[] = [],
  ): AsyncGenerator<StreamEvent> {
    if (thread.run) throw new ChatApiError({ status: 409, code: 'turn_running', message: 'A run of this thread is in progress.' });
    const controller = new AbortController();
    const run = (thread.run = { controller, stopped: false });
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let ended = false;
    let savedAt = Date.now();
    try {
      const input: RunAgentInput = {
        threadId: thread.id,
        runId: this.#newId(),
        messages,
        tools: [],
        context: [],
        ...this.#options.runInput,
        ...(resume ? { resume } : {}),
      };
      const response = await this.#post(input, controller.signal);
      // Once the agent took the run: a refused one leaves the interrupts waiting, to answer again.
      for (const event of before) {
        this.#apply(thread, event);
        yield { event };
      }
      for await (const event of readAgUiEvents(response.body!)) {
        for (let mapped of thread.mapper.map(event)) {
          if (mapped.type === 'processing' && userMessage && !mapped.userMessage) mapped = { ...mapped, userMessage };
          if (mapped.type === 'processing') userMessage = undefined;
          if (TERMINAL_EVENT_TYPES.has(mapped.type)) ended = true;
          this.#apply(thread, mapped);
          // Kept as it goes (at most once a second), so a reload mid-run shows what came.
          if (mapped.type === 'processing' || Date.now() - savedAt >= SAVE_INTERVAL_MS) {
            this.#save(thread);
            savedAt = Date.now();
          }
          yield { event: mapped };
        }
      }
      if (!ended && thread.state.status === 'running') {
        const event: AgentEvent = {
          type: 'error',
          code: 'stream_ended',
          message: 'The AG-UI agent closed the stream before the run finished.',
          retryable: true,
          ...(thread.state.turnId !== undefined ? { turnId: thread.state.turnId } : {}),
        };
        this.#apply(thread, event);
        yield { event };
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      // Stopped by the user: the turn ends here. Aborted by the caller: it is gone with the request.
      if (thread.state.status === 'running') {
        const event: AgentEvent = { type: 'interrupted', turnId: thread.state.turnId ?? '' };
        this.#apply(thread, event);
        if (run.stopped) yield { event };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (thread.run === run) thread.run = undefined;
      this.#save(thread);
    }
  }

  async #post(input: RunAgentInput, signal: AbortSignal): Promise<Response> {
    const { headers, credentials } = this.#options;
    const extra = typeof headers === 'function' ? await headers() : headers;
    const requestHeaders = new Headers(extra);
    requestHeaders.set('content-type', 'application/json');
    requestHeaders.set('accept', 'text/event-stream');
    let response: Response;
    try {
      response = await (this.#options.fetch ?? globalThis.fetch)(this.#options.url, {
        method: 'POST',
        headers: requestHeaders,
        body: JSON.stringify(input),
        signal,
        ...(credentials ? { credentials } : {}),
      });
    } catch (cause) {
      if (signal.aborted) throw cause;
      throw new ChatApiError({ status: 0, code: CLIENT_ERROR_CODES.network, message: `No answer from the AG-UI agent at ${this.#options.url}.`, cause });
    }
    if (!response.ok) throw await ChatApiError.fromResponse(response);
    if (!response.body || !/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) {
      await response.body?.cancel().catch(() => {});
      throw new ChatApiError({
        status: response.status,
        code: CLIENT_ERROR_CODES.invalidResponse,
        message: `The AG-UI agent answered ${response.headers.get('content-type') ?? 'no content type'}, not text/event-stream.`,
      });
    }
    return response;
  }

  #info({ id, state, createdAt }: Thread): SessionInfo {
    const updatedAt = state.messages.reduce((latest, m) => Math.max(latest, m.createdAt ?? 0), createdAt);
    return {
      id,
      ...(state.title !== undefined ? { title: state.title } : {}),
      createdAt,
      updatedAt,
      processing: state.status !== 'idle',
      awaitingApproval: state.status === 'awaiting_approval',
      messageCount: state.messages.length,
      lastEventId: 0,
    };
  }

  #newThread(id: string): Thread {
    const thread: Thread = { id, createdAt: Date.now(), state: createConversationState(id), mapper: new AgUiToAgentChat({ newId: () => this.#newId() }) };
    this.#threads.set(id, thread);
    return thread;
  }

  #thread(id: string): Thread {
    const thread = this.#threads.get(id) ?? this.#load(id);
    if (!thread) throw new ChatApiError({ status: 404, code: 'session_not_found', message: `No AG-UI thread ${id} in this browser.` });
    return thread;
  }

  #apply(thread: Thread, event: AgentEvent): void {
    thread.state = reduce(thread.state, event);
  }

  #storage(): SessionIdStorage | undefined {
    return this.#options.storage === undefined ? globalThis.sessionStorage : (this.#options.storage ?? undefined);
  }

  #load(id: string): Thread | undefined {
    let stored: StoredThread | undefined;
    try {
      const text = this.#storage()?.getItem(agUiThreadStorageKey(id));
      stored = text ? (JSON.parse(text) as StoredThread) : undefined;
    } catch {
      // Storage blocked, or not our JSON: a thread we do not know.
    }
    if (!stored?.conversation) return undefined;
    const thread = this.#newThread(id);
    thread.state = stateFromSessionMessages(stored.conversation, id);
    if (stored.waiting && thread.state.status === 'awaiting_approval') thread.mapper.restore(stored.waiting);
    if (stored.abandoned?.length) thread.abandoned = stored.abandoned;
    return thread;
  }

  #save(thread: Thread): void {
    const { state, mapper } = thread;
    const waiting =
      state.status === 'awaiting_approval' && mapper.turnId !== undefined && mapper.assistantMessageId !== undefined
        ? { turnId: mapper.turnId, assistantMessageId: mapper.assistantMessageId, interrupts: [...mapper.pendingInterrupts] }
        : undefined;
    const stored: StoredThread = {
      // A run cut off by a reload reads back as running, and `getMessages` ends it as interrupted.
      conversation: sessionMessagesOf(state),
      ...(waiting ? { waiting } : {}),
      ...(thread.abandoned?.length ? { abandoned: thread.abandoned } : {}),
    };
    try {
      this.#storage()?.setItem(agUiThreadStorageKey(thread.id), JSON.stringify(stored));
    } catch {
      // Storage blocked or full: the thread lives in memory only.
    }
  }
}
