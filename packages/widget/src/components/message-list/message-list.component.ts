import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ChatMessage, MessagePart, ThinkingPart, ToolCallPart } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { StreamingMarkdown, warmUpMarkdown, type HtmlSanitizer } from '../../markdown/streaming-markdown.js';
import { createImagePolicy, parseHostList, type ImagePolicy } from '../../markdown/image-policy.js';
import { loadHeldImage } from '../../markdown/safe-markdown.js';
import { copyText, onCodeCopyClick } from '../../util/copy-text.js';
import { AgentChatEditMessageEvent } from '../../events/edit-message-event.js';
import { AgentChatUndoEvent } from '../../events/undo-event.js';
import { ensureDefined } from '../../define-element.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { markdownStyles } from '../../styles/markdown.styles.js';
import { messageListStyles } from './message-list.styles.js';

/** Distance from the bottom, in px, within which the transcript counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;
/**
 * Markdown work per task, in ms: past it, messages still to render wait for
 * the next task (a history, a reload, a huge answer), so no task runs long.
 * Each renderer's step is bounded too (see StreamingMarkdown).
 */
const MARKDOWN_SLICE_MS = 8;

type CodeBlocks = typeof import('../../markdown/code-blocks.js');
/** code-blocks.ts (copy buttons and highlighting of fenced code), loaded with the first completed block that holds code. */
let codeBlocks: Promise<CodeBlocks> | undefined;

/** Runs `use` with code-blocks.ts, loading it the first time. A failed load is reported (the code stays plain) and tried again for the next block. */
async function withCodeBlocks(use: (m: CodeBlocks) => void): Promise<void> {
  let loaded: CodeBlocks;
  try {
    loaded = await (codeBlocks ??= import('../../markdown/code-blocks.js'));
  } catch (error) {
    codeBlocks = undefined;
    reportError(error);
    return;
  }
  use(loaded);
}

type Segment =
  | { kind: 'text'; part: Extract<MessagePart, { type: 'text' }>; index: number }
  | { kind: 'thinking'; part: ThinkingPart; index: number }
  | { kind: 'tools'; calls: ToolCallPart[]; index: number };

/** Splits a message's parts into text, thinking and runs of consecutive tool calls. */
function segments(parts: MessagePart[]): Segment[] {
  const out: Segment[] = [];
  parts.forEach((part, index) => {
    if (part.type === 'tool_call') {
      const last = out.at(-1);
      if (last?.kind === 'tools') last.calls.push(part);
      else out.push({ kind: 'tools', calls: [part], index });
    } else if (part.type === 'thinking') {
      out.push({ kind: 'thinking', part, index });
    } else {
      out.push({ kind: 'text', part, index });
    }
  });
  return out;
}

function plainText(message: ChatMessage): string {
  return message.parts.map((p) => (p.type === 'text' ? p.text : '')).filter(Boolean).join('\n\n');
}

/**
 * The transcript: user and assistant messages with streaming markdown
 * (incremental: completed blocks are rendered once and kept), fenced code
 * highlighted on demand with a copy button, images, thinking collapsed when
 * done, grouped tool calls, and message actions (copy; edit-and-regenerate
 * and undo on user messages when enabled). It is a `role="log"` region; it
 * sticks to the bottom while content grows unless the user scrolled up, then
 * offers "Jump to latest". Only the newest `window-size` messages are in the
 * DOM (older ones behind "Show earlier messages"), and each message uses
 * `content-visibility: auto`, so a long history stays responsive.
 *
 * Model markdown is rendered safe by construction: raw HTML shows as text,
 * links only go to http(s), mailto or relative URLs, images only load
 * http(s), relative or base64 `data:image/...` URLs. Set `htmlSanitizer` to
 * render raw HTML through a sanitizer of your own instead. Remote images wait
 * for a click on a button naming their host, unless `allowed-image-hosts`
 * lists it (`*`: every host). Rendering is bounded per message: nesting at
 * most 16 deep, work linear in the text, a long answer rendered a few ms per
 * task, and a message whose markdown fails shows as plain text.
 *
 * With the `light-dom` attribute it renders without a shadow root, into the
 * shadow tree of the element composing it (adopt `AgentChatMessages.lightDomStyles` there).
 *
 * @tagname agent-chat-messages
 * @summary The conversation's messages.
 *
 * @slot empty - Shown while there are no messages.
 * @slot message-actions - Extra actions under the latest assistant message.
 *
 * @event {AgentChatEditMessageEvent} agent-chat-edit-message - The user edited a message and asked to regenerate. Cancelable.
 * @event {AgentChatUndoEvent} agent-chat-undo - The user asked to undo the last turn. Cancelable.
 * @event {AgentChatToolSelectEvent} agent-chat-tool-select - From a tool call group: open a call in the code panel.
 *
 * @csspart transcript - The scrolling `role="log"` list.
 * @csspart message - Every message.
 * @csspart user-message - A message of the user (with `message`).
 * @csspart assistant-message - A message of the assistant (with `message`).
 * @csspart bubble - A user message's bubble.
 * @csspart markdown - Rendered assistant text.
 * @csspart load-image - The button standing in for a remote image until the user loads it.
 * @csspart code-block - A fenced code block in the markdown.
 * @csspart copy-code - The copy button of a code block.
 * @csspart thinking - The `<details>` holding the model's reasoning.
 * @csspart stopped-mark - "Stopped" at the end of an answer that was stopped before it finished.
 * @csspart message-actions - The row of actions under a message.
 * @csspart action - Each button in that row (copy, edit, undo).
 * @csspart jump-button - "Jump to latest".
 * @csspart show-earlier - "Show earlier messages".
 * @csspart error - The error line.
 * @csspart tool-group - A group of consecutive tool calls (`<agent-chat-tool-group>`'s `group`).
 * @csspart tool-call - A tool call card.
 * @csspart tool-header - A card's header: name, summary, state.
 * @csspart tool-input - A card's input.
 * @csspart tool-output - A card's output.
 * @csspart badge - A card's state badge.
 * @csspart edited-badge - "(edited)" on a call whose input the user edited.
 * @csspart show-more - The button expanding a long output.
 * @csspart open-panel - The button opening a call in the code panel.
 * @csspart research - Research sub-agents of a call.
 * @csspart agent - One research sub-agent's row.
 */
export class AgentChatMessages extends LitElement {
  static override styles = [themeStyles, markdownStyles, messageListStyles(':host')];
  /**
   * Styles for the `light-dom` mode, for the composing element to adopt in its
   * own shadow root (with the shared theme styles it already has).
   */
  static readonly lightDomStyles = [markdownStyles, messageListStyles('agent-chat-messages')];
  /**
   * Rendered only for tool calls: defined when the first one is rendered (in the prebuilt
   * bundle, fetched with the other tool parts), so a chat without tools never loads it.
   */
  static lazyDependencies = {
    'agent-chat-tool-group': () => import('../tool-parts/tool-parts.js').then((m) => m.AgentChatToolGroup),
  };

  static override properties = {
    messages: { attribute: false },
    running: { type: Boolean },
    ready: { type: Boolean },
    error: { attribute: false },
    canUndo: { type: Boolean, attribute: 'can-undo' },
    canEdit: { type: Boolean, attribute: 'can-edit' },
    selectedToolCallId: { type: String, attribute: 'selected-tool-call-id' },
    edits: { attribute: false },
    windowSize: { type: Number, attribute: 'window-size' },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
    htmlSanitizer: { attribute: false },
    allowedImageHosts: {
      attribute: 'allowed-image-hosts',
      converter: { fromAttribute: parseHostList, toAttribute: (hosts: readonly string[]) => hosts.join(' ') },
    },
  };

  /** The conversation's messages, as core's `reduce()` builds them (`ConversationState.messages`). */
  declare messages: ChatMessage[];
  /** A turn runs: message actions that change history are disabled, a typing indicator may show. */
  declare running: boolean;
  /** Show the empty state when there are no messages (false while connecting). */
  declare ready: boolean;
  /** An error to show under the messages. */
  declare error: { message: string } | undefined;
  /** Offer Undo on the last user message. */
  declare canUndo: boolean;
  /** Offer Edit (edit-and-regenerate) on user messages. */
  declare canEdit: boolean;
  /** The tool call shown in the code panel, highlighted. */
  declare selectedToolCallId: string | undefined;
  /** The user's edits of inputs of calls waiting for approval, by tool call id: their cards show the edit, marked "(edited)". */
  declare edits: ReadonlyMap<string, unknown>;
  /** How many of the newest messages are rendered; "Show earlier" adds as many again. Default 40. */
  declare windowSize: number;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;
  /**
   * Opt in to raw HTML in assistant markdown: a function that makes HTML safe,
   * e.g. `(html) => DOMPurify.sanitize(html)`. With it, raw HTML is kept and
   * each rendered markdown block goes through it; without it (the default),
   * raw HTML is shown as text and no sanitizer is needed. Changing it
   * re-renders all markdown.
   */
  declare htmlSanitizer: HtmlSanitizer | undefined;
  /**
   * Hosts whose images in assistant markdown load by themselves (attribute:
   * `allowed-image-hosts="cdn.example.com *.example.org"`, spaces or commas).
   * An entry is a host name (any port), `host:port`, `*.example.org` (its
   * subdomains), or `*`: every host, i.e. remote images always load. Images
   * from the page's origin, relative and `data:` URLs always load. Any other
   * image shows as a button naming its host and loads only when clicked
   * (model output is untrusted: an image URL can carry conversation data to
   * its host). Default: none. Changing it re-renders all markdown.
   */
  declare allowedImageHosts: readonly string[];

  /**
   * Rendering without a shadow root, into the shadow tree of the element that
   * composes this one (`<agent-chat>` does): its slots become that element's
   * slots and its parts that element's parts, with no forwarding. Read once,
   * when connected.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    return this.hasAttribute('light-dom') ? this : super.createRenderRoot();
  }

  #markdown = new Map<string, StreamingMarkdown>();
  /** Parts whose markdown failed to render: shown as plain text. */
  #failed = new Set<string>();
  /** Image URLs the user chose to load (clicked); they load from then on. */
  #imagesAllowed = new Set<string>();
  #imagePolicy: ImagePolicy | undefined;
  #imageLabel: string | undefined;
  /** `performance.now()` past which this render stops starting markdown work; see {@link MARKDOWN_SLICE_MS}. */
  #markdownDeadline = Infinity;
  /** Markdown still to render after this render; a later task continues it. */
  #markdownPending = false;
  /** Whether this render has made its one step past the deadline. */
  #markdownForced = false;
  #continueTimer: ReturnType<typeof setTimeout> | undefined;
  #enhanced = new Set<string>();
  #limit = 0;
  /** Whether the user is at the bottom: new content keeps the view there. Changed only by scrolling. */
  #atBottom = true;
  #editing: { id: string; draft: string } | undefined;
  #copied: string | undefined;

  constructor() {
    super();
    this.messages = [];
    this.running = false;
    this.ready = true;
    this.error = undefined;
    this.canUndo = false;
    this.canEdit = false;
    this.selectedToolCallId = undefined;
    this.edits = new Map();
    this.windowSize = 40;
    this.strings = {};
    this.theme = undefined;
    this.htmlSanitizer = undefined;
    this.allowedImageHosts = [];
  }

  /** Whether the view is at (or near) the bottom, following new content. */
  get atBottom(): boolean {
    return this.#atBottom;
  }

  /** Scrolls to the newest message and follows new content again. */
  scrollToLatest(): void {
    this.#atBottom = true;
    this.#toBottom();
    this.requestUpdate();
  }

  /** Markdown renderers by part, for tests and benchmarks (stats). */
  get markdownRenderers(): ReadonlyMap<string, StreamingMarkdown> {
    return this.#markdown;
  }

  #transcript(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.transcript');
  }

  #resizeObserver: ResizeObserver | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    warmUpMarkdown();
    // Content grows after this element's render too (tool groups render in
    // their own cycle, code is highlighted later, images load), and the
    // transcript's own box shrinks (an approval bar arriving late, a taller
    // composer, a smaller window): keep the end in view while the user is at the bottom.
    this.#resizeObserver ??= new ResizeObserver(() => {
      if (this.#atBottom) this.#follow();
    });
    this.#observeSizes();
  }

  #observeSizes(): void {
    for (const box of this.renderRoot.querySelectorAll('.column, .transcript')) this.#resizeObserver?.observe(box);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
  }

  protected override firstUpdated(): void {
    this.#observeSizes();
  }

  /** When the user last wheeled, touched, pressed a key or grabbed the scrollbar in the transcript (`performance.now()`). */
  #userIntentAt = -Infinity;

  #noteUserIntent = (): void => {
    this.#userIntentAt = performance.now();
  };

  #toBottom(): void {
    const transcript = this.#transcript();
    if (transcript) transcript.scrollTop = transcript.scrollHeight;
  }

  /** Keeps the view at the bottom, unless the user has just moved it away (their scroll event may still be on its way). */
  #follow(): void {
    const transcript = this.#transcript();
    if (!transcript) return;
    const away = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight >= STICK_THRESHOLD_PX;
    if (away && this.#recentIntent()) {
      this.#atBottom = false;
      this.requestUpdate();
      return;
    }
    this.#toBottom();
  }

  #recentIntent(): boolean {
    return performance.now() - this.#userIntentAt < 1000;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A tool group that failed to load is tried again with the next turn, not on every render.
    if (this.#toolGroupLoad === 'failed' && changed.has('running') && this.running) this.#toolGroupLoad = undefined;
    if (this.#limit === 0 || changed.has('windowSize')) this.#limit = Math.max(1, this.windowSize);
    const label = resolveStrings(this.strings).loadImage;
    const policyChanged = changed.has('allowedImageHosts') || label !== this.#imageLabel;
    if (policyChanged) {
      this.#imageLabel = label;
      this.#imagePolicy = createImagePolicy({
        allowedHosts: this.allowedImageHosts,
        allowedUrls: this.#imagesAllowed,
        label: (host) => format(label, { host }),
      });
    }
    if (changed.has('htmlSanitizer') || policyChanged) {
      // Every renderer was made for the previous sanitizer and image policy.
      this.#markdown.clear();
      this.#enhanced.clear();
      this.#failed.clear();
    } else if (changed.has('messages')) {
      this.#prune();
    }
  }

  /** Drops renderers of parts no longer in the conversation (after undo, truncate, session switch). */
  #prune(): void {
    if (this.#markdown.size <= this.messages.length * 2 + 16) return;
    const ids = new Set(this.messages.map((m) => m.id));
    for (const key of this.#markdown.keys()) if (!ids.has(key.slice(0, key.lastIndexOf(':')))) this.#markdown.delete(key);
    for (const key of this.#enhanced) if (!ids.has(key.slice(0, key.lastIndexOf(':')))) this.#enhanced.delete(key);
  }

  /**
   * Resolves once the messages are fully rendered: after the update, and
   * after the tasks that finish rendering long markdown (see
   * {@link MARKDOWN_SLICE_MS}).
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.#markdownPending && this.isConnected) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.#markdownPending) {
      // Markdown left over from this render continues in a task of its own.
      this.#continueTimer ??= setTimeout(() => {
        this.#continueTimer = undefined;
        this.requestUpdate();
      }, 0);
    }
    // Growth is followed by the ResizeObserver, after the browser's own layout;
    // scrolling here would force a second, synchronous layout every frame.
    if (!this.hasUpdated || changed.has('windowSize')) this.#toBottom();
    const s = resolveStrings(this.strings);
    for (const container of this.renderRoot.querySelectorAll<HTMLElement>('.markdown[data-done]')) {
      const key = container.dataset.key!;
      if (this.#enhanced.has(key)) continue;
      this.#enhanced.add(key);
      if (container.querySelector('pre')) void withCodeBlocks((m) => m.enhanceCodeBlocks(container, s));
      // A wide table scrolls sideways: keyboard users must be able to reach it.
      for (const table of container.querySelectorAll('table')) table.tabIndex = 0;
    }
  }

  /**
   * Only the user leaves the bottom: a scroll away from it counts when it
   * follows their input (wheel, touch, keys, scrollbar) within a second.
   * Anything else that moves the view (layout settling, content shrinking)
   * brings it back down while following.
   */
  #onScroll(): void {
    const transcript = this.#transcript();
    if (!transcript) return;
    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < STICK_THRESHOLD_PX;
    if (!atBottom && this.#atBottom && !this.#recentIntent()) {
      this.#toBottom();
      return;
    }
    if (atBottom !== this.#atBottom) {
      this.#atBottom = atBottom;
      this.requestUpdate();
    }
  }

  protected override render(): TemplateResult {
    this.#markdownDeadline = performance.now() + MARKDOWN_SLICE_MS;
    this.#markdownPending = false;
    this.#markdownForced = false;
    const s = resolveStrings(this.strings);
    const hidden = Math.max(0, this.messages.length - this.#limit);
    const shown = hidden > 0 ? this.messages.slice(hidden) : this.messages;
    const lastUser = this.messages.findLast((m) => m.role === 'user');
    const lastAssistant = this.messages.at(-1)?.role === 'assistant' ? this.messages.at(-1) : undefined;
    const last = this.messages.at(-1);
    const showTyping =
      this.running &&
      !(last?.role === 'assistant' && last.parts.some((p) => p.type !== 'tool_call' && p.state === 'streaming')) &&
      !(last?.role === 'assistant' && last.parts.some((p) => p.type === 'tool_call' && (p.state === 'running' || p.state === 'awaiting_approval')));
    return html`<div
        class="transcript"
        part="transcript"
        role="log"
        aria-label=${s.transcriptLabel}
        aria-busy=${this.running ? 'true' : 'false'}
        tabindex="0"
        @scroll=${this.#onScroll}
        @wheel=${this.#noteUserIntent}
        @touchstart=${this.#noteUserIntent}
        @keydown=${this.#noteUserIntent}
        @pointerdown=${this.#noteUserIntent}
        @click=${(e: Event) => {
          onCodeCopyClick(e, s);
          this.#onLoadImageClick(e);
        }}
      >
        <div class="column">
          ${hidden > 0
            ? html`<button
                type="button"
                class="ghost show-earlier"
                part="show-earlier"
                @click=${() => {
                  this.#limit += this.windowSize;
                  this.requestUpdate();
                }}
              >
                ${format(s.showEarlier, { count: Math.min(hidden, this.windowSize) })}
              </button>`
            : nothing}
          ${this.messages.length === 0 && this.ready ? html`<div class="empty"><slot name="empty">${s.emptyState}</slot></div>` : nothing}
          ${repeat(shown, (m) => m.id, (m, i) => {
            // The newest messages stay fully rendered: they are where streaming happens and where the view sits.
            const settled = i < shown.length - 2;
            return m.role === 'user' ? this.#renderUser(m, m === lastUser, settled, s) : this.#renderAssistant(m, m === lastAssistant, settled, s);
          })}
          ${showTyping ? html`<div class="typing" role="img" aria-label=${s.responding}><span></span><span></span><span></span></div>` : nothing}
          ${this.error ? html`<div class="error" part="error" role="alert">${this.error.message}</div>` : nothing}
        </div>
      </div>
      ${!this.#atBottom
        ? html`<button type="button" class="jump" part="jump-button" @click=${() => this.scrollToLatest()}>
            <span aria-hidden="true">↓</span> ${s.jumpToLatest}
          </button>`
        : nothing}`;
  }

  #copy(message: ChatMessage): void {
    void copyText(plainText(message)).then((ok) => {
      if (!ok) return;
      this.#copied = message.id;
      this.requestUpdate();
      setTimeout(() => {
        if (this.#copied === message.id) this.#copied = undefined;
        this.requestUpdate();
      }, 1500);
    });
  }

  #renderCopy(message: ChatMessage, s: AgentChatStrings): TemplateResult {
    return html`<button type="button" class="ghost" part="action" data-action="copy" @click=${() => this.#copy(message)}>
      ${this.#copied === message.id ? s.copied : s.copy}
    </button>`;
  }

  #renderUser(message: ChatMessage, isLastUser: boolean, settled: boolean, s: AgentChatStrings): TemplateResult {
    const text = plainText(message);
    const editing = this.#editing?.id === message.id;
    const userIndex = this.messages.filter((m) => m.role === 'user').indexOf(message);
    return html`<div class="message user ${settled ? 'settled' : ''}" part="message user-message" data-message-id=${message.id}>
      <span class="visually-hidden">${s.you}:</span>
      ${editing
        ? html`<div class="edit">
            <textarea
              aria-label=${s.editMessage}
              .value=${this.#editing!.draft}
              @input=${(e: InputEvent) => (this.#editing!.draft = (e.target as HTMLTextAreaElement).value)}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Escape') {
                  // Escape never throws away a changed draft (Cancel does); an untouched one just closes.
                  e.preventDefault();
                  e.stopPropagation();
                  if (this.#editing!.draft !== text) return;
                  this.#editing = undefined;
                  this.requestUpdate();
                } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  this.#submitEdit(message, userIndex);
                }
              }}
            ></textarea>
            <div class="edit-actions">
              <button type="button" class="ghost" data-action="cancel-edit" @click=${() => ((this.#editing = undefined), this.requestUpdate())}>
                ${s.cancelEdit}
              </button>
              <button type="button" class="primary" data-action="save-edit" @click=${() => this.#submitEdit(message, userIndex)}>
                ${s.editAndRegenerate}
              </button>
            </div>
          </div>`
        : html`<div class="bubble" part="bubble">${text}</div>`}
      ${editing
        ? nothing
        : html`<div class="actions" part="message-actions" role="group" aria-label=${s.messageActions}>
            ${this.#renderCopy(message, s)}
            ${this.canEdit
              ? html`<button
                  type="button"
                  class="ghost"
                  part="action"
                  data-action="edit"
                  ?disabled=${this.running}
                  @click=${async () => {
                    this.#editing = { id: message.id, draft: text };
                    this.requestUpdate();
                    await this.updateComplete;
                    this.renderRoot.querySelector<HTMLTextAreaElement>('.edit textarea')?.focus();
                  }}
                >
                  ${s.editMessage}
                </button>`
              : nothing}
            ${this.canUndo && isLastUser
              ? html`<button
                  type="button"
                  class="ghost"
                  part="action"
                  data-action="undo"
                  ?disabled=${this.running}
                  @click=${() => this.dispatchEvent(new AgentChatUndoEvent({ messageId: message.id }))}
                >
                  ${s.undo}
                </button>`
              : nothing}
          </div>`}
    </div>`;
  }

  #submitEdit(message: ChatMessage, userMessageIndex: number): void {
    const text = this.#editing?.draft ?? '';
    if (!text.trim()) return;
    if (this.dispatchEvent(new AgentChatEditMessageEvent({ messageId: message.id, userMessageIndex, text }))) {
      this.#editing = undefined;
      this.requestUpdate();
    }
  }

  #renderAssistant(message: ChatMessage, isLatest: boolean, settled: boolean, s: AgentChatStrings): TemplateResult {
    const streaming = message.parts.some((p) => p.type !== 'tool_call' && p.state === 'streaming');
    const hasText = message.parts.some((p) => p.type === 'text' && p.text.trim());
    const stopped = message.interrupted === true;
    const lastPart = message.parts.at(-1);
    return html`<article class="message assistant ${settled ? 'settled' : ''} ${isLatest ? 'latest' : ''}" part="message assistant-message" aria-label=${s.assistant} data-message-id=${message.id}>
      ${segments(message.parts).map((segment) => {
        if (segment.kind === 'text') return this.#renderMarkdown(`${message.id}:${segment.index}`, segment.part.text, segment.part.state === 'done');
        if (segment.kind === 'thinking') return this.#renderThinking(segment.part, s, stopped && segment.part === lastPart);
        this.#loadToolGroup();
        return html`<agent-chat-tool-group
          theme="inherit"
          exportparts="group: tool-group, tool-call, tool-header, tool-input, tool-output, badge, edited-badge, show-more, open-panel, research, agent"
          .calls=${segment.calls}
          .selected=${this.selectedToolCallId}
          .edits=${this.edits}
          .strings=${this.strings}
        ></agent-chat-tool-group>`;
      })}
      ${stopped
        ? html`<div class="stopped" part="stopped-mark"><span class="stopped-icon" aria-hidden="true"></span>${s.stopped}</div>`
        : nothing}
      ${hasText && !streaming && !(isLatest && this.running)
        ? html`<div class="actions" part="message-actions" role="group" aria-label=${s.messageActions}>
            ${this.#renderCopy(message, s)} ${isLatest ? html`<slot name="message-actions"></slot>` : nothing}
          </div>`
        : nothing}
    </article>`;
  }

  #toolGroupLoad: 'requested' | 'failed' | undefined;

  /** Asks for `<agent-chat-tool-group>` once; a failed load is reported and tried again when the next turn starts. */
  #loadToolGroup(): void {
    if (this.#toolGroupLoad) return;
    this.#toolGroupLoad = 'requested';
    ensureDefined('agent-chat-tool-group').catch((error: unknown) => {
      this.#toolGroupLoad = 'failed';
      reportError(error);
    });
  }

  #renderMarkdown(key: string, text: string, done: boolean): TemplateResult {
    if (!this.#failed.has(key)) {
      try {
        let renderer = this.#markdown.get(key);
        if (!renderer) {
          renderer = new StreamingMarkdown({ sanitize: this.htmlSanitizer, imagePolicy: this.#imagePolicy });
          this.#markdown.set(key, renderer);
        }
        // Once this render's markdown time is spent, the rest waits for the next task (see updated()),
        // except one step per render, so that every render moves on.
        let blocks = renderer.blocks;
        let pending = true;
        if (performance.now() < this.#markdownDeadline || !this.#markdownForced) {
          if (performance.now() >= this.#markdownDeadline) this.#markdownForced = true;
          blocks = renderer.update(text, { done, deadline: this.#markdownDeadline });
          pending = renderer.pending;
        }
        if (pending) this.#markdownPending = true;
        return html`<div class="markdown" part="markdown" data-key=${key} ?data-done=${done && !pending}>
          ${repeat(blocks, (b) => b.key, (b) => unsafeHTML(b.html))}
        </div>`;
      } catch (error) {
        // One message's text must never break the others or the element: this one shows as plain text.
        this.#failed.add(key);
        this.#markdown.delete(key);
        console.warn('agent-chat: markdown could not be rendered; showing it as text', error);
      }
    }
    return html`<div class="markdown plain" part="markdown" data-key=${key}><p>${text}</p></div>`;
  }

  /** Loads a held-back remote image the user clicked, and keeps it loaded when its message renders again. */
  #onLoadImageClick(e: Event): void {
    const src = loadHeldImage(e);
    if (src !== undefined) this.#imagesAllowed.add(src);
  }

  /** `cut`: the answer was stopped during this thinking. */
  #renderThinking(part: ThinkingPart, s: AgentChatStrings, cut: boolean): TemplateResult {
    const streaming = part.state === 'streaming';
    return html`<details class="thinking ${streaming ? 'streaming' : ''} ${cut ? 'stopped' : ''}" part="thinking" .open=${streaming}>
      <summary>${streaming ? s.thinking : cut ? s.thinkingStopped : s.thoughts}</summary>
      <div class="thinking-body">${part.text}</div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-messages': AgentChatMessages;
  }
}
