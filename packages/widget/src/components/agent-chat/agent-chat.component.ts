import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import {
  ChatApiError,
  ChatClient,
  createConversationState,
  reduce,
  stateFromSessionMessages,
  type AgentEvent,
  type ApprovalDecision,
  type ChatMessage,
  type ConversationState,
  type PendingApproval,
  type StreamEvent,
  type ThinkingPart,
  type ToolCallPart,
} from '@agent-chat/core';
import { StreamingMarkdown } from '../../markdown/streaming-markdown.js';
import { AgentChatApproveEvent } from '../../events/approve-event.js';
import { AgentChatErrorEvent, type AgentChatErrorDetail } from '../../events/error-event.js';
import { AgentChatSendEvent } from '../../events/send-event.js';
import { AgentChatTurnCompleteEvent } from '../../events/turn-complete-event.js';
import { DEFAULT_STRINGS, format, type AgentChatStrings } from './agent-chat.strings.js';
import { agentChatStyles } from './agent-chat.styles.js';

/** localStorage key under which the session of `endpoint` is remembered. */
export function sessionStorageKey(endpoint: string): string {
  return `agent-chat:session:${endpoint}`;
}

/** Distance from the bottom, in px, within which the transcript counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;
/** Longest wait for an animation frame before rendering anyway (a background tab gets none), in ms. */
const FRAME_FALLBACK_MS = 120;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage access throws in sandboxed iframes and with cookies blocked.
    return undefined;
  }
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FRAME_FALLBACK_MS);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A one-line hint of a tool's input: its first short scalar argument. */
function summarizeInput(input: unknown): string {
  if (input === null || typeof input !== 'object') return input === undefined ? '' : String(input);
  for (const value of Object.values(input as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') return String(value).split('\n', 1)[0]!.slice(0, 120);
  }
  return '';
}

function toErrorDetail(error: unknown): AgentChatErrorDetail {
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
 * An AI agent's chat, streamed from an agent-chat server: markdown answers,
 * thinking, tool calls with their output, approvals, stop, and resume after a
 * reload (the session is remembered in localStorage per endpoint).
 *
 * All conversation state comes from core's `reduce()` over the protocol's
 * events; the element only adds what the user is typing and deciding.
 *
 * @summary Drop-in chat for an agent-chat server.
 *
 * @slot header - Above the transcript, e.g. a title bar.
 * @slot empty - Shown while the conversation is empty.
 *
 * @event {AgentChatSendEvent} agent-chat-send - The user sends a message (`detail.text`). Cancelable.
 * @event {AgentChatApproveEvent} agent-chat-approve - The user decided on pending tool calls (`detail.approvals`).
 * @event {AgentChatTurnCompleteEvent} agent-chat-turn-complete - A turn ended normally (`detail.turnId`, `detail.stopReason`).
 * @event {AgentChatErrorEvent} agent-chat-error - A turn failed or a request was refused (`detail.code`, `detail.message`).
 *
 * @csspart transcript - The scrolling message list (`role="log"`).
 * @csspart message - Every message; also `user-message` or `assistant-message`.
 * @csspart bubble - The user's message bubble.
 * @csspart markdown - Rendered assistant text.
 * @csspart thinking - The `<details>` holding the model's reasoning.
 * @csspart tool-call - A tool call card; `tool-input`, `tool-output` are its sections, `badge` its state.
 * @csspart approval - Approve / reject controls of a tool call waiting for the user.
 * @csspart approval-bar - "Approve all / Reject all", when more than one call waits.
 * @csspart error - The error line.
 * @csspart usage - The token usage line.
 * @csspart composer - The form with the textarea and the send / stop button.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 * @csspart stop-button - The stop button (replaces send while a turn runs).
 *
 * @cssproperty [--agent-chat-height=100%] - Height of the element.
 * @cssproperty [--agent-chat-max-width=48rem] - Width of the conversation column.
 * @cssproperty [--agent-chat-font-family=system-ui] - Text font.
 * @cssproperty [--agent-chat-font-family-mono=ui-monospace] - Code and tool font.
 * @cssproperty [--agent-chat-font-size=15px] - Base font size.
 * @cssproperty [--agent-chat-background=#ffffff] - Background.
 * @cssproperty [--agent-chat-foreground=#1f2328] - Text color.
 * @cssproperty [--agent-chat-muted=#6b6f76] - Secondary text.
 * @cssproperty [--agent-chat-border=#e4e4e7] - Borders.
 * @cssproperty [--agent-chat-surface=#f7f7f8] - Cards and tool output.
 * @cssproperty [--agent-chat-user-background=#f0f0f3] - User bubbles.
 * @cssproperty [--agent-chat-user-foreground=#1f2328] - User bubble text.
 * @cssproperty [--agent-chat-accent=#d97757] - Primary buttons, links, approvals.
 * @cssproperty [--agent-chat-accent-foreground=#ffffff] - Text on the accent.
 * @cssproperty [--agent-chat-danger=#c2413a] - Errors and rejections.
 * @cssproperty [--agent-chat-success=#1f8a4c] - Finished tool calls.
 * @cssproperty [--agent-chat-warning=#b26b00] - Interrupted tool calls.
 * @cssproperty [--agent-chat-thinking-foreground=#5d5a52] - Reasoning text.
 * @cssproperty [--agent-chat-code-background=#f4f4f5] - Code blocks.
 * @cssproperty [--agent-chat-radius=12px] - Card corner radius.
 * @cssproperty [--agent-chat-focus-ring=#2563eb] - Focus outline.
 * @cssproperty [--agent-chat-shadow] - Shadow of the composer and awaiting cards.
 */
export class AgentChat extends LitElement {
  static override styles = agentChatStyles;

  static override properties = {
    endpoint: { type: String },
    sessionId: { type: String, attribute: 'session-id' },
    theme: { type: String, reflect: true },
    strings: { attribute: false },
    client: { attribute: false },
  };

  /** Base URL of the agent-chat API. Default `/api`. */
  declare endpoint: string;
  /** Session to show. Without it, the session remembered for `endpoint` is resumed, or a new one is created. */
  declare sessionId: string | undefined;
  /** `dark` or `light` forces a palette; unset follows `prefers-color-scheme`. */
  declare theme: 'dark' | 'light' | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /** A configured client (auth headers, credentials); by default one is made for `endpoint`. */
  declare client: ChatClient | undefined;

  #state: ConversationState = createConversationState();
  #ready = false;
  #draft = '';
  #announcement = '';
  #clientError: AgentChatErrorDetail | undefined;
  /** Decisions taken on some of several pending calls, sent once all are decided. */
  #decisions = new Map<string, ApprovalDecision>();
  #feedback = new Map<string, string>();
  #submittingApprovals = false;
  #focusApproval = false;
  #focusComposer = false;
  #stick = true;
  #forceStick = false;
  #needsStart = false;
  #markdown = new Map<string, StreamingMarkdown>();

  #activeClient: ChatClient | undefined;
  /** Aborted when the element disconnects or switches session: ends everything in flight. */
  #lifecycle = new AbortController();
  #stream: { controller: AbortController; done: Promise<void> } | undefined;

  constructor() {
    super();
    this.endpoint = '/api';
    this.sessionId = undefined;
    this.theme = undefined;
    this.strings = {};
    this.client = undefined;
    // On the host, so Escape stops the turn wherever the focus is inside the element.
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented && this.#state.status !== 'idle') {
        event.preventDefault();
        void this.stop();
      }
    });
  }

  /** The conversation as the reducer built it. Read-only; replaced (never mutated) on every event. */
  get conversation(): ConversationState {
    return this.#state;
  }

  /** Whether a stream of events is being read (a turn runs or is followed). */
  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  get #strings(): AgentChatStrings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#needsStart = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#lifecycle.abort();
    this.#stream?.controller.abort();
    this.#stream = undefined;
  }

  /**
   * While events stream in, renders at most once per animation frame: events
   * arriving in between are reduced into the state and drawn together.
   */
  protected override async scheduleUpdate(): Promise<void> {
    if (this.#stream) await nextFrame();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Measured before the DOM grows: the view follows the stream only if it was
    // at the bottom, i.e. the user has not scrolled up to read.
    const transcript = this.renderRoot.querySelector<HTMLElement>('.transcript');
    this.#stick =
      this.#forceStick ||
      !transcript ||
      transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < STICK_THRESHOLD_PX;
    this.#forceStick = false;
    const restart = changed.has('endpoint') || changed.has('sessionId') || changed.has('client');
    if (this.isConnected && (this.#needsStart || (restart && this.hasUpdated))) {
      this.#needsStart = false;
      void this.#start();
    }
  }

  /**
   * Sends a message as if the user typed it and follows the turn. Resolves
   * when the turn's stream ends (complete, waiting for approval, stopped or
   * failed) with true, or at once with false when nothing was sent: not
   * connected yet, a turn already running, empty text, or `agent-chat-send` cancelled.
   */
  async send(text: string): Promise<boolean> {
    const id = this.#state.sessionId;
    if (!this.#ready || !id || this.#state.status !== 'idle' || !text.trim()) return false;
    if (!this.dispatchEvent(new AgentChatSendEvent({ text }))) return false;
    this.#draft = '';
    this.#clientError = undefined;
    this.#forceStick = true;
    this.#focusComposer = true;
    this.requestUpdate();
    await this.#consume((client, signal) => client.send(id, text, { signal }), { resyncOnFailure: true });
    return true;
  }

  /** Stops the running turn (`POST {endpoint}/interrupt/:id`). */
  async stop(): Promise<void> {
    const id = this.#state.sessionId;
    const client = this.#activeClient;
    if (!id || !client || this.#state.status === 'idle') return;
    try {
      await client.interrupt(id, { signal: this.#lifecycle.signal });
      // With no stream open, the `interrupted` event has no way in: read the outcome.
      if (!this.#stream) await this.#resync();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Answers pending tool calls and follows the resumed turn. */
  async approve(approvals: ApprovalDecision[]): Promise<void> {
    const id = this.#state.sessionId;
    if (!id || approvals.length === 0) return;
    this.dispatchEvent(new AgentChatApproveEvent({ approvals }));
    this.#submittingApprovals = true;
    this.#decisions.clear();
    this.#focusComposer = true;
    this.requestUpdate();
    try {
      await this.#consume((client, signal) => client.sendApprovals(id, approvals, { signal }), {
        resyncOnFailure: true,
      });
    } finally {
      this.#submittingApprovals = false;
      this.requestUpdate();
    }
  }

  // ---- session and streams ----

  async #start(): Promise<void> {
    this.#lifecycle.abort();
    const lifecycle = (this.#lifecycle = new AbortController());
    await this.#closeStream();
    if (lifecycle.signal.aborted) return;

    const client = this.client ?? new ChatClient({ endpoint: this.endpoint });
    this.#activeClient = client;
    this.#ready = false;
    this.#markdown.clear();
    this.#decisions.clear();
    this.#setState(createConversationState());

    const key = sessionStorageKey(this.endpoint);
    const explicit = this.sessionId;
    const remembered = explicit ? undefined : (storage()?.getItem(key) ?? undefined);
    try {
      const id = explicit ?? remembered;
      if (id) {
        try {
          const body = await client.getMessages(id, { signal: lifecycle.signal });
          if (lifecycle.signal.aborted) return;
          this.#ready = true;
          this.#setState(stateFromSessionMessages(body, id));
          if (this.#state.status !== 'idle') void this.#follow();
          return;
        } catch (error) {
          if (explicit || !(error instanceof ChatApiError) || error.status !== 404) throw error;
          storage()?.removeItem(key);
        }
      }
      const info = await client.createSession({}, { signal: lifecycle.signal });
      if (lifecycle.signal.aborted) return;
      if (!explicit) storage()?.setItem(key, info.id);
      this.#ready = true;
      this.#setState(createConversationState(info.id));
    } catch (error) {
      if (!lifecycle.signal.aborted) this.#fail(error);
    }
  }

  /** Subscribes to the running turn after the newest event applied, until it ends or waits for approval. */
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
    const client = this.#activeClient;
    const lifecycle = this.#lifecycle;
    if (!id || !client) return;
    const body = await client.getMessages(id, { signal: lifecycle.signal });
    if (lifecycle.signal.aborted || this.#stream) return;
    this.#setState(stateFromSessionMessages(body, id));
    if (this.#state.status !== 'idle') void this.#follow();
  }

  /**
   * Reads one event stream into the reducer. Only one stream is ever read: a
   * second interleaved stream would have its events dropped as duplicates by
   * the reducer's `lastEventId` check, so the previous one is closed first.
   */
  async #consume(
    open: (client: ChatClient, signal: AbortSignal) => AsyncGenerator<StreamEvent>,
    options: { resyncOnFailure?: boolean } = {},
  ): Promise<void> {
    const client = this.#activeClient;
    const lifecycle = this.#lifecycle;
    if (!client) return;
    await this.#closeStream();
    if (lifecycle.signal.aborted) return;

    const controller = new AbortController();
    const onAbort = () => controller.abort();
    lifecycle.signal.addEventListener('abort', onAbort, { once: true });
    let failed = false;
    const done = (async () => {
      try {
        for await (const { id, event } of open(client, controller.signal)) {
          if (controller.signal.aborted) break;
          this.#receive(event, id);
        }
      } catch (error) {
        if (!controller.signal.aborted) {
          failed = true;
          this.#fail(error);
        }
      } finally {
        lifecycle.signal.removeEventListener('abort', onAbort);
      }
    })();
    const stream = { controller, done };
    this.#stream = stream;
    this.requestUpdate();
    await done;
    if (this.#stream !== stream) return;
    this.#stream = undefined;
    this.requestUpdate();
    if (controller.signal.aborted || lifecycle.signal.aborted) return;
    if (failed) {
      if (options.resyncOnFailure) await this.#resync().catch((error: unknown) => this.#fail(error));
    } else if (this.#state.status === 'awaiting_approval') {
      // Keep listening while the turn waits, so a decision taken elsewhere
      // (another tab, another device) shows up here too.
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
    const before = this.#state;
    const next = reduce(before, event, id);
    if (next === before) return;
    this.#setState(next);
    const s = this.#strings;
    switch (event.type) {
      case 'processing':
        if (event.userMessage) this.#announce(s.announceTurnStarted);
        break;
      case 'approval_required':
        this.#announce(format(s.announceApproval, { names: event.tools.map((t) => t.name).join(', ') }));
        this.#focusApproval = true;
        break;
      case 'turn_complete':
        this.#announce(s.announceTurnComplete);
        this.dispatchEvent(new AgentChatTurnCompleteEvent({ turnId: event.turnId, stopReason: event.stopReason }));
        break;
      case 'interrupted':
        this.#announce(s.announceInterrupted);
        break;
      case 'error':
        this.#announce(format(s.announceError, { message: event.message }));
        this.dispatchEvent(
          new AgentChatErrorEvent({ code: event.code, message: event.message, retryable: event.retryable }),
        );
        break;
    }
  }

  #setState(state: ConversationState): void {
    if (state.pendingApprovals.length === 0 && this.#decisions.size > 0) this.#decisions.clear();
    this.#state = state;
    this.requestUpdate();
  }

  #fail(error: unknown): void {
    if (this.#lifecycle.signal.aborted) return;
    const detail = toErrorDetail(error);
    this.#clientError = detail;
    this.#announce(format(this.#strings.announceError, { message: detail.message }));
    this.dispatchEvent(new AgentChatErrorEvent(detail));
    this.requestUpdate();
  }

  #announce(text: string): void {
    this.#announcement = text;
    this.requestUpdate();
  }

  // ---- user input ----

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send(this.#draft);
    }
  }

  #onInput(event: InputEvent): void {
    this.#draft = (event.target as HTMLTextAreaElement).value;
    this.requestUpdate();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.send(this.#draft);
  }

  #decide(approval: PendingApproval, decision: 'approve' | 'reject'): void {
    const feedback = this.#feedback.get(approval.toolCallId)?.trim();
    this.#decisions.set(approval.toolCallId, {
      toolCallId: approval.toolCallId,
      decision,
      ...(decision === 'reject' && feedback ? { feedback } : {}),
    });
    const pending = this.#state.pendingApprovals;
    if (pending.every((p) => this.#decisions.has(p.toolCallId))) {
      void this.approve(pending.map((p) => this.#decisions.get(p.toolCallId)!));
    } else {
      this.requestUpdate();
    }
  }

  #decideAll(decision: 'approve' | 'reject'): void {
    void this.approve(
      this.#state.pendingApprovals.map((p) => {
        const feedback = this.#feedback.get(p.toolCallId)?.trim();
        return { toolCallId: p.toolCallId, decision, ...(decision === 'reject' && feedback ? { feedback } : {}) };
      }),
    );
  }

  // ---- rendering ----

  protected override updated(): void {
    const transcript = this.renderRoot.querySelector<HTMLElement>('.transcript');
    if (transcript && this.#stick) transcript.scrollTop = transcript.scrollHeight;
    if (this.#focusApproval) {
      const button = this.renderRoot.querySelector<HTMLButtonElement>('button[data-approve]');
      if (button) {
        this.#focusApproval = false;
        button.focus();
      }
    } else if (this.#focusComposer) {
      this.#focusComposer = false;
      this.renderRoot.querySelector('textarea')?.focus();
    }
  }

  protected override render(): TemplateResult {
    const s = this.#strings;
    const state = this.#state;
    const running = state.status !== 'idle';
    const error = state.error ?? this.#clientError;
    const lastMessage = state.messages.at(-1);
    const showTyping =
      state.status === 'running' &&
      !(lastMessage?.role === 'assistant' &&
        lastMessage.parts.some((p) => p.type !== 'tool_call' && p.state === 'streaming'));
    return html`
      <slot name="header"></slot>
      <div
        class="transcript"
        part="transcript"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label=${s.transcriptLabel}
        aria-busy=${state.status === 'running' ? 'true' : 'false'}
        tabindex="0"
      >
        <div class="column">
          ${state.messages.length === 0 && this.#ready
            ? html`<div class="empty"><slot name="empty">${s.emptyState}</slot></div>`
            : nothing}
          ${repeat(state.messages, (m) => m.id, (m) => this.#renderMessage(m))}
          ${showTyping
            ? html`<div class="typing" aria-label=${s.responding}><span></span><span></span><span></span></div>`
            : nothing}
          ${error ? html`<div class="error" part="error" role="alert">${error.message}</div>` : nothing}
          ${this.#renderUsage()}
        </div>
      </div>
      ${state.pendingApprovals.length > 1 ? this.#renderApprovalBar() : nothing}
      <div class="composer-wrap">
        <form class="composer" part="composer" @submit=${this.#onSubmit}>
          <label class="visually-hidden" for="input">${s.inputLabel}</label>
          <textarea
            id="input"
            part="input"
            rows="1"
            placeholder=${this.#ready ? s.inputPlaceholder : s.connecting}
            ?disabled=${!this.#ready}
            .value=${this.#draft}
            @input=${this.#onInput}
            @keydown=${this.#onKeydown}
          ></textarea>
          ${running
            ? html`<button type="button" part="stop-button" aria-label=${s.stopLabel} @click=${() => this.stop()}>
                ${s.stop}
              </button>`
            : html`<button
                type="submit"
                class="primary"
                part="send-button"
                ?disabled=${!this.#ready || !this.#draft.trim()}
              >
                ${s.send}
              </button>`}
        </form>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.#announcement}</div>
    `;
  }

  #renderMessage(message: ChatMessage): TemplateResult {
    const s = this.#strings;
    if (message.role === 'user') {
      const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      return html`<div class="message user" part="message user-message">
        <span class="visually-hidden">${s.you}:</span>
        <div class="bubble" part="bubble">${text}</div>
      </div>`;
    }
    return html`<article class="message assistant" part="message assistant-message" aria-label=${s.assistant}>
      ${message.parts.map((part, index) => {
        if (part.type === 'text') return this.#renderMarkdown(`${message.id}:${index}`, part.text);
        if (part.type === 'thinking') return this.#renderThinking(part);
        return this.#renderToolCall(part);
      })}
    </article>`;
  }

  #renderMarkdown(key: string, text: string): TemplateResult {
    let renderer = this.#markdown.get(key);
    if (!renderer) this.#markdown.set(key, (renderer = new StreamingMarkdown()));
    const blocks = renderer.update(text);
    return html`<div class="markdown" part="markdown">
      ${repeat(blocks, (b) => b.key, (b) => unsafeHTML(b.html))}
    </div>`;
  }

  #renderThinking(part: ThinkingPart): TemplateResult {
    const s = this.#strings;
    const streaming = part.state === 'streaming';
    return html`<details class="thinking ${streaming ? 'streaming' : ''}" part="thinking" .open=${streaming}>
      <summary>${streaming ? s.thinking : s.thoughts}</summary>
      <div class="thinking-body">${part.text}</div>
    </details>`;
  }

  #renderToolCall(part: ToolCallPart): TemplateResult {
    const s = this.#strings;
    const pending = this.#state.pendingApprovals.find((p) => p.toolCallId === part.toolCallId);
    const hasOutput = part.output !== undefined;
    const icon =
      part.state === 'running' || part.state === 'approved'
        ? html`<span class="spinner"></span>`
        : html`${{ done: '✓', error: '!', rejected: '✕', interrupted: '■', awaiting_approval: '?' }[part.state] ?? ''}`;
    return html`<div
      class="tool ${part.state}"
      part="tool-call"
      data-tool-call-id=${part.toolCallId}
      data-state=${part.state}
    >
      <details class="tool-details" ?open=${pending !== undefined}>
        <summary class="tool-header">
          <span class="tool-icon" aria-hidden="true">${icon}</span>
          <span class="tool-name">${part.name}</span>
          <span class="tool-summary">${summarizeInput(part.input)}</span>
          <span class="badge ${part.state}" part="badge">${s.toolStates[part.state] ?? part.state}</span>
          <span class="chevron" aria-hidden="true"></span>
        </summary>
        <details class="tool-section" part="tool-input" open>
          <summary>${s.toolInput}</summary>
          <pre>${prettyJson(part.input)}</pre>
        </details>
        ${hasOutput
          ? html`<details class="tool-section" part="tool-output" open>
              <summary>${s.toolOutput}</summary>
              <pre class=${part.isError ? 'error' : ''}>${prettyJson(part.output)}</pre>
            </details>`
          : nothing}
      </details>
      ${part.feedback
        ? html`<div class="feedback-note">${s.rejectionFeedback}: ${part.feedback}</div>`
        : nothing}
      ${part.agents?.length
        ? html`<ul class="agents">
            ${part.agents.map(
              (a) => html`<li>${a.label} · ${a.step ?? a.status} · ${a.toolCount} tools · ${a.tokens} tokens</li>`,
            )}
          </ul>`
        : nothing}
      ${pending ? this.#renderApproval(pending) : nothing}
    </div>`;
  }

  #renderApproval(approval: PendingApproval): TemplateResult {
    const s = this.#strings;
    const decided = this.#decisions.get(approval.toolCallId);
    const busy = this.#submittingApprovals;
    const name = approval.name;
    return html`<div class="approval" part="approval" role="group" aria-label=${format(s.approvalLabel, { name })}>
      ${approval.reason ? html`<div class="approval-reason">${approval.reason}</div>` : nothing}
      ${decided
        ? html`<span class="decision">${decided.decision === 'approve' ? s.decisionApproved : s.decisionRejected}</span>`
        : html`
            <input
              type="text"
              aria-label=${format(s.feedbackLabel, { name })}
              placeholder=${s.feedbackPlaceholder}
              .value=${this.#feedback.get(approval.toolCallId) ?? ''}
              ?disabled=${busy}
              @input=${(e: InputEvent) =>
                this.#feedback.set(approval.toolCallId, (e.target as HTMLInputElement).value)}
            />
            <button
              type="button"
              class="danger"
              aria-label=${format(s.rejectLabel, { name })}
              ?disabled=${busy}
              data-reject
              @click=${() => this.#decide(approval, 'reject')}
            >
              ${s.reject}
            </button>
            <button
              type="button"
              class="primary"
              aria-label=${format(s.approveLabel, { name })}
              ?disabled=${busy}
              data-approve
              @click=${() => this.#decide(approval, 'approve')}
            >
              ${s.approve}
            </button>
          `}
    </div>`;
  }

  #renderApprovalBar(): TemplateResult {
    const s = this.#strings;
    const busy = this.#submittingApprovals;
    return html`<div
      class="approval-bar"
      part="approval-bar"
      role="group"
      aria-label=${format(s.approvalsWaiting, { count: this.#state.pendingApprovals.length })}
    >
      <span>${format(s.approvalsWaiting, { count: this.#state.pendingApprovals.length })}</span>
      <button type="button" class="danger" ?disabled=${busy} data-reject-all @click=${() => this.#decideAll('reject')}>
        ${s.rejectAll}
      </button>
      <button type="button" class="primary" ?disabled=${busy} data-approve-all @click=${() => this.#decideAll('approve')}>
        ${s.approveAll}
      </button>
    </div>`;
  }

  #renderUsage(): TemplateResult | typeof nothing {
    const usage = this.#state.usage.turn;
    if (!usage || this.#state.status === 'running') return nothing;
    const s = this.#strings;
    const n = new Intl.NumberFormat();
    let text = format(s.usage, { input: n.format(usage.inputTokens), output: n.format(usage.outputTokens) });
    if (usage.costUsd > 0) {
      const cost = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
      text += ` · ${format(s.usageCost, { cost: cost.format(usage.costUsd) })}`;
    }
    return html`<div class="usage" part="usage">${text}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat': AgentChat;
  }
}
