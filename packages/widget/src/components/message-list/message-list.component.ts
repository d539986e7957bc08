import { LitElement, html, nothing, type ComplexAttributeConverter, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, MessagePart, ThinkingPart, ToolCallPart } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import type { AttachmentHost } from '../../client.js';
import { warmUpMarkdown, type HtmlSanitizer, type StreamingMarkdown } from '../../markdown/streaming-markdown.js';
import { createImagePolicy, parseHostList, type ImagePolicy } from '../../markdown/image-policy.js';
import { loadHeldImage } from '../../markdown/safe-markdown.js';
import { copyText, onCodeCopyClick } from '../../util/copy-text.js';
import { AgentChatEditMessageEvent } from '../../events/edit-message-event.js';
import { AgentChatUndoEvent } from '../../events/undo-event.js';
import { LazyPartsController } from '../../controllers/lazy-parts-controller.js';
import { MarkdownCacheController } from '../../controllers/markdown-cache-controller.js';
import { MessageEditingController } from '../../controllers/message-editing-controller.js';
import { ScrollFollowController } from '../../controllers/scroll-follow-controller.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { markdownStyles } from '../../styles/markdown.styles.js';
import { messageListStyles } from './message-list.styles.js';

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
 * @csspart message-attachments - A user message's files (`<agent-chat-attachments>`).
 * @csspart attachment-image - A sent image's thumbnail button; opens the lightbox.
 * @csspart attachment-file - A sent file's chip, a download link.
 * @csspart lightbox - The `<dialog>` showing an image.
 * @csspart lightbox-image - The image in the lightbox.
 * @csspart lightbox-close - The lightbox's Close button.
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
 *
 * @cssproperty [--agent-chat-thumbnail-size=2.5rem] - Side of a sent file's type badge.
 * @cssproperty [--agent-chat-attachment-image-height=7.5rem] - Height of a sent image's thumbnail.
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
    'agent-chat-attachments': () => import('../attachments/attachment-parts.js').then((m) => m.AgentChatAttachments),
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
    attachmentHost: { attribute: false },
    windowSize: { type: Number, attribute: 'window-size' },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
    htmlSanitizer: { attribute: false },
    allowedImageHosts: {
      attribute: 'allowed-image-hosts',
      // Typed as the converter it is, so the published declarations do not name parseHostList.
      converter: { fromAttribute: parseHostList, toAttribute: (hosts: readonly string[]) => hosts.join(' ') } as ComplexAttributeConverter<readonly string[]>,
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
  /** Where the files of messages load from (client and session); `<agent-chat>` sets it. */
  declare attachmentHost: AttachmentHost | undefined;
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

  readonly #scroll = new ScrollFollowController(this, '.transcript', '.column, .transcript');
  readonly #markdown = new MarkdownCacheController(
    this,
    () => ({ sanitize: this.htmlSanitizer, imagePolicy: this.#imagePolicy }),
    () => resolveStrings(this.strings),
  );
  readonly #editing = new MessageEditingController(this, '.edit textarea');
  /** `<agent-chat-tool-group>`, asked for when the first tool call renders; a failed load is tried again when the next turn starts. */
  readonly #parts = new LazyPartsController(this, () => true, reportError);
  /** Image URLs the user chose to load (clicked); they load from then on. */
  #imagesAllowed = new Set<string>();
  #imagePolicy: ImagePolicy | undefined;
  #imageLabel: string | undefined;
  #limit = 0;
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
    return this.#scroll.atBottom;
  }

  /** Scrolls to the newest message and follows new content again. */
  scrollToLatest(): void {
    this.#scroll.scrollToLatest();
  }

  /** Markdown renderers by part, for tests and benchmarks (stats). */
  get markdownRenderers(): ReadonlyMap<string, StreamingMarkdown> {
    return this.#markdown.renderers;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    warmUpMarkdown();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A tool group that failed to load is tried again with the next turn, not on every render.
    if (changed.has('running') && this.running) this.#parts.retryFailed();
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
    } else if (changed.has('messages')) {
      this.#markdown.prune(this.messages);
    }
  }

  /**
   * Resolves once the messages are fully rendered: after the update, and
   * after the tasks that finish rendering long markdown (see
   * {@link MarkdownCacheController}).
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.#markdown.pending && this.isConnected) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Growth is followed by the scroll controller's ResizeObserver, after the browser's own layout;
    // scrolling here would force a second, synchronous layout every frame.
    if (changed.has('windowSize')) this.#scroll.toBottom();
  }

  protected override render(): TemplateResult {
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
        @scroll=${this.#scroll.onScroll}
        @wheel=${this.#scroll.noteIntent}
        @touchstart=${this.#scroll.noteIntent}
        @keydown=${this.#scroll.noteIntent}
        @pointerdown=${this.#scroll.noteIntent}
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
      ${!this.#scroll.atBottom
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
    const draft = this.#editing.draftOf(message.id);
    const submit = () => this.#submitEdit(message, userIndex);
    const userIndex = this.messages.filter((m) => m.role === 'user').indexOf(message);
    return html`<div class="message user ${settled ? 'settled' : ''}" part="message user-message" data-message-id=${message.id}>
      <span class="visually-hidden">${s.you}:</span>
      ${draft !== undefined
        ? html`<div class="edit">
            <textarea
              aria-label=${s.editMessage}
              .value=${draft}
              @input=${this.#editing.onInput}
              @keydown=${(e: KeyboardEvent) => this.#editing.onKeydown(e, text, submit)}
            ></textarea>
            <div class="edit-actions">
              <button type="button" class="ghost" data-action="cancel-edit" @click=${this.#editing.cancel}>
                ${s.cancelEdit}
              </button>
              <button type="button" class="primary" data-action="save-edit" @click=${submit}>
                ${s.editAndRegenerate}
              </button>
            </div>
          </div>`
        : html`<div class="bubble" part="bubble">${text}</div>`}
      ${message.attachments?.length
        ? (this.#parts.load('agent-chat-attachments'),
          html`<agent-chat-attachments .attachments=${message.attachments} .host=${this.attachmentHost} .strings=${this.strings}></agent-chat-attachments>`)
        : nothing}
      ${draft !== undefined
        ? nothing
        : html`<div class="actions" part="message-actions" role="group" aria-label=${s.messageActions}>
            ${this.#renderCopy(message, s)}
            ${this.canEdit
              ? html`<button type="button" class="ghost" part="action" data-action="edit" ?disabled=${this.running} @click=${() => this.#editing.start(message.id, text)}>${s.editMessage}</button>`
              : nothing}
            ${this.canUndo && isLastUser
              ? html`<button type="button" class="ghost" part="action" data-action="undo" ?disabled=${this.running} @click=${() => this.dispatchEvent(new AgentChatUndoEvent({ messageId: message.id }))}>${s.undo}</button>`
              : nothing}
          </div>`}
    </div>`;
  }

  #submitEdit(message: ChatMessage, userMessageIndex: number): void {
    this.#editing.submit((text) => this.dispatchEvent(new AgentChatEditMessageEvent({ messageId: message.id, userMessageIndex, text })));
  }

  #renderAssistant(message: ChatMessage, isLatest: boolean, settled: boolean, s: AgentChatStrings): TemplateResult {
    const streaming = message.parts.some((p) => p.type !== 'tool_call' && p.state === 'streaming');
    const hasText = message.parts.some((p) => p.type === 'text' && p.text.trim());
    const stopped = message.interrupted === true;
    const lastPart = message.parts.at(-1);
    return html`<article class="message assistant ${settled ? 'settled' : ''} ${isLatest ? 'latest' : ''}" part="message assistant-message" aria-label=${s.assistant} data-message-id=${message.id}>
      ${segments(message.parts).map((segment) => {
        if (segment.kind === 'text') return this.#markdown.render(`${message.id}:${segment.index}`, segment.part.text, segment.part.state === 'done');
        if (segment.kind === 'thinking') return this.#renderThinking(segment.part, s, stopped && segment.part === lastPart);
        this.#parts.load('agent-chat-tool-group');
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
