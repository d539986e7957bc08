import { LitElement, html, nothing, type ComplexAttributeConverter, type PropertyValues, type TemplateResult } from 'lit';
import {
  ChatClient,
  ChatSession,
  createConversationState,
  sessionStorageKey,
  type AgentEvent,
  type ApprovalDecision,
  type ChatErrorInfo,
  type ConversationState,
  type ToolCallPart,
} from '@agent-chat/core';
import { lazyAgUiClient } from '../../ag-ui/lazy-ag-ui-client.js';
import { detectFeatures, NO_FEATURES, type AgentChatClient, type AttachmentHost, type ModelOption, type ServerFeatures } from '../../client.js';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { AgentChatSendEvent } from '../../events/send-event.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import type { AgentChatStopEvent } from '../../events/stop-event.js';
import { AgentChatErrorEvent } from '../../events/error-event.js';
import { AgentChatTurnCompleteEvent } from '../../events/turn-complete-event.js';
import { AgentChatSessionChangeEvent } from '../../events/session-change-event.js';
import { AgentChatTitleEvent } from '../../events/title-event.js';
import type { AgentChatEditMessageEvent } from '../../events/edit-message-event.js';
import type { AgentChatUndoEvent } from '../../events/undo-event.js';
import type { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';
import type { AgentChatInputEditEvent } from '../../events/input-edit-event.js';
import type { AgentChatPanelPinEvent } from '../../events/panel-pin-event.js';
import type { AgentChatModelChangeEvent } from '../../events/model-change-event.js';
import { AgentChatMessages } from '../message-list/message-list.component.js';
import type { HtmlSanitizer } from '../../markdown/streaming-markdown.js';
import { parseHostList } from '../../markdown/image-policy.js';
import { AgentChatComposer } from '../composer/composer.component.js';
import type { AgentChatApprovals } from '../approval-panel/approval-panel.component.js';
import type { AgentChatCodePanel } from '../code-panel/code-panel.component.js';
import { AgentChatStatus, runningToolCall } from '../status-bar/status-bar.component.js';
import { afterDispatch } from '../../controllers/after-dispatch.js';
import { FrameBatchController } from '../../controllers/frame-batch-controller.js';
import { LazyPartsController } from '../../controllers/lazy-parts-controller.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { agentChatStyles } from './agent-chat.styles.js';

/** localStorage key under which the session of `endpoint` is remembered (from core, where `ChatSession` uses it). */
export { sessionStorageKey } from '@agent-chat/core';

/** What `conversation` is before a session exists. The reducer never mutates a state, so one serves every element. */
const NO_CONVERSATION = createConversationState();

/**
 * The code panel's class once loaded (it is, whenever a panel is open or sends an edit): the
 * panel's focus helpers live there, so the prebuilt bundle loads them with the tool parts.
 */
const codePanelClass = () => customElements.get('agent-chat-code-panel') as typeof AgentChatCodePanel | undefined;

/**
 * Runs `use` with the approval bar's class (which holds the storage of edited inputs): at once
 * when it is defined, else once it is (with the prebuilt bundle, when a call first waits).
 */
function withApprovalsClass(use: (approvals: typeof AgentChatApprovals) => void): void {
  const approvals = customElements.get('agent-chat-approvals') as typeof AgentChatApprovals | undefined;
  if (approvals) use(approvals);
  else void customElements.whenDefined('agent-chat-approvals').then((c) => use(c as typeof AgentChatApprovals));
}

function findToolCall(state: ConversationState, id: string | undefined): ToolCallPart | undefined {
  if (!id) return undefined;
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const part = state.messages[i]!.parts.find((p): p is ToolCallPart => p.type === 'tool_call' && p.toolCallId === id);
    if (part) return part;
  }
  return undefined;
}

/**
 * An AI agent's chat, streamed from an agent-chat server: the whole
 * experience composed from the parts (`<agent-chat-status>`,
 * `<agent-chat-messages>` with tool call groups and research panels,
 * `<agent-chat-code-panel>`, `<agent-chat-approvals>`, `<agent-chat-composer>`).
 * Resumes after a reload (the session is remembered in localStorage per
 * endpoint); `session-id` switches sessions (`<agent-chat-sessions>` sets it).
 *
 * The session (open or resume, follow a running turn, one stream at a time,
 * stop, undo, truncate) is core's `ChatSession`, and all conversation state
 * comes from its `reduce()` over the protocol's events; the element only adds
 * what the user is typing and deciding. While events stream, it renders at
 * most once per animation frame.
 *
 * Registered with `defineElement()`, it registers the parts it always shows
 * along with it, and `<agent-chat-code-panel>` and `<agent-chat-approvals>` on
 * first need unless already defined (`@agent-chat/widget/define` defines every
 * tag at once): in the prebuilt bundle their file is fetched when the first tool
 * call arrives (see `ensureDefined()`).
 *
 * Keyboard (the widget README has the whole map): the first Tab stop is a
 * "Skip to the message box" button, shown when focused; "/" outside a text
 * field focuses the composer; Escape closes or leaves what has focus and stops
 * a turn only from the composer, never while an approval waits.
 *
 * @tagname agent-chat
 * @summary Drop-in chat for an agent-chat server.
 *
 * @slot header - Above the transcript, e.g. a title bar.
 * @slot empty - Shown while the conversation is empty.
 * @slot message-actions - Extra actions under the latest assistant message (e.g. feedback buttons).
 *
 * @event {AgentChatSendEvent} agent-chat-send - The user sends a message (`detail.text`). Cancelable.
 * @event {AgentChatApproveEvent} agent-chat-approve - The user decided on pending tool calls (`detail.approvals`).
 * @event {AgentChatTurnCompleteEvent} agent-chat-turn-complete - A turn ended normally (`detail.turnId`, `detail.stopReason`).
 * @event {AgentChatErrorEvent} agent-chat-error - A turn failed or a request was refused (`detail.code`, `detail.message`).
 * @event {AgentChatSessionChangeEvent} agent-chat-session-change - The element opened a session (`detail.sessionId`).
 * @event {AgentChatTitleEvent} agent-chat-title - The session got a title (`detail.title`).
 * @event {AgentChatStopEvent} agent-chat-stop - The user asked to stop the turn.
 * @event {AgentChatEditMessageEvent} agent-chat-edit-message - The user edited a message to regenerate. Cancelable.
 * @event {AgentChatUndoEvent} agent-chat-undo - The user asked to undo the last turn. Cancelable.
 * @event {AgentChatModelChangeEvent} agent-chat-model-change - The user picked a model. Cancelable.
 * @event {AgentChatAttachEvent} agent-chat-attach - The user added files in the composer (`detail.files`). Cancelable.
 * @event {AgentChatUploadsChangeEvent} agent-chat-uploads-change - A file of the composer was added, uploaded, refused or removed.
 * @event {AgentChatToolSelectEvent} agent-chat-tool-select - The user opened a tool call in the code panel (`detail.toolCallId`).
 * @event {AgentChatInputEditEvent} agent-chat-input-edit - The user saved or reset an edit of a pending call's input.
 * @event {AgentChatPanelPinEvent} agent-chat-panel-pin - The user pinned or unpinned the call in the code panel.
 * @event {AgentChatPanelCloseEvent} agent-chat-panel-close - The user closed the code panel.
 *
 * @csspart skip-link - "Skip to the message box", the first Tab stop, shown when focused.
 * @csspart connect-failed - Shown when no session could be opened (the error is in the transcript).
 * @csspart retry - Its "Try again" button.
 * @csspart open-latest - At the session limit, its "Open my latest conversation" button.
 * @csspart status-bar - The activity and usage bar (`<agent-chat-status>`).
 * @csspart activity - The activity label with its indicator.
 * @csspart usage - The usage figures.
 * @csspart turn-usage - Tokens and cost of the current (or last) turn.
 * @csspart session-usage - Tokens and cost of the whole session.
 * @csspart transcript - The scrolling message list (`role="log"`).
 * @csspart message - Every message.
 * @csspart user-message - A message of the user (with `message`).
 * @csspart assistant-message - A message of the assistant (with `message`).
 * @csspart bubble - The user's message bubble.
 * @csspart markdown - Rendered assistant text.
 * @csspart load-image - The button standing in for a remote image until the user loads it.
 * @csspart code-block - A fenced code block in the markdown.
 * @csspart copy-code - The copy button of a code block.
 * @csspart thinking - The `<details>` holding the model's reasoning.
 * @csspart stopped-mark - "Stopped" at the end of an answer that was stopped before it finished.
 * @csspart message-actions - Actions under a message.
 * @csspart action - Each button in that row (copy, edit, undo).
 * @csspart tool-group - A group of consecutive tool calls.
 * @csspart tool-call - A tool call card.
 * @csspart tool-header - A card's header: name, summary, state.
 * @csspart tool-input - A card's input.
 * @csspart tool-output - A card's output.
 * @csspart badge - A card's state badge.
 * @csspart edited-badge - "(edited)" on a call (or approval) whose input the user edited.
 * @csspart show-more - The button expanding a long output.
 * @csspart open-panel - The button opening a call in the code panel.
 * @csspart research - Research sub-agents of a tool call.
 * @csspart agent - One research sub-agent's row.
 * @csspart jump-button - "Jump to latest".
 * @csspart error - The error line.
 * @csspart show-earlier - "Show earlier messages".
 * @csspart code-panel - The code panel (`<agent-chat-code-panel>`).
 * @csspart panel-header - The code panel's header: name, state, view switch, pin and close.
 * @csspart panel-body - The code panel's code.
 * @csspart editor - The textarea editing a pending call's input.
 * @csspart diff - The diff of original and edited input.
 * @csspart validation - Validation errors of an edit.
 * @csspart approvals - The approval panel (`<agent-chat-approvals>`).
 * @csspart approvals-header - Title, count and the approve all / reject all buttons.
 * @csspart approval - One pending call's row.
 * @csspart approval-name - The tool's name in a row.
 * @csspart approval-reason - Why the call needs approval, when the server says.
 * @csspart feedback - The text field for a rejection's feedback.
 * @csspart approve-button - A call's Approve button.
 * @csspart reject-button - A call's Reject button.
 * @csspart edit-button - Opens the call's input in the code panel for editing.
 * @csspart approve-all - Approve all.
 * @csspart reject-all - Reject all.
 * @csspart composer - The composer form.
 * @csspart input - The composer's textarea.
 * @csspart send-button - Send.
 * @csspart stop-button - Stop (replaces Send while a turn runs).
 * @csspart model-select - The model selector.
 * @csspart attach-button - The attach button.
 * @csspart attachments - The list of files added in the composer (`<agent-chat-uploads>`).
 * @csspart attachment - A file's chip in the composer; with `attachment-uploading`, `attachment-failed` or `attachment-done`.
 * @csspart attachment-uploading - A chip whose file is uploading.
 * @csspart attachment-failed - A chip whose file was refused.
 * @csspart attachment-done - A chip whose file is uploaded.
 * @csspart attachment-thumbnail - An image's thumbnail in a chip.
 * @csspart attachment-progress - A chip's upload progress bar.
 * @csspart attachment-error - Why a file was refused (too large, wrong type, quota).
 * @csspart attachment-remove - A chip's remove button.
 * @csspart message-attachments - A user message's files (`<agent-chat-attachments>`).
 * @csspart attachment-image - A sent image's thumbnail button; opens the lightbox.
 * @csspart attachment-file - A sent file's chip, a download link.
 * @csspart lightbox - The `<dialog>` showing an image.
 * @csspart lightbox-image - The image in the lightbox.
 * @csspart lightbox-close - The lightbox's Close button.
 *
 * @cssproperty [--agent-chat-height=100%] - Height of the element.
 * @cssproperty [--agent-chat-max-width=48rem] - Width of the conversation column.
 * @cssproperty [--agent-chat-panel-width=40%] - Width of the code panel.
 * @cssproperty [--agent-chat-font-family=system-ui] - Text font.
 * @cssproperty [--agent-chat-font-family-mono=ui-monospace] - Code and tool font.
 * @cssproperty [--agent-chat-font-size=15px] - Base font size.
 * @cssproperty [--agent-chat-background=#ffffff] - Background.
 * @cssproperty [--agent-chat-foreground=#1f2328] - Text color.
 * @cssproperty [--agent-chat-muted=#63666d] - Secondary text.
 * @cssproperty [--agent-chat-border=#e4e4e7] - Borders.
 * @cssproperty [--agent-chat-surface=#f7f7f8] - Cards and tool output.
 * @cssproperty [--agent-chat-user-background=#f0f0f3] - User bubbles.
 * @cssproperty [--agent-chat-user-foreground=#1f2328] - User bubble text.
 * @cssproperty [--agent-chat-accent=#b8532f] - Primary buttons, links, approvals.
 * @cssproperty [--agent-chat-accent-foreground=#ffffff] - Text on the accent.
 * @cssproperty [--agent-chat-danger=#b83a33] - Errors and rejections.
 * @cssproperty [--agent-chat-success=#1b7a44] - Finished tool calls.
 * @cssproperty [--agent-chat-warning=#95580a] - Interrupted tool calls.
 * @cssproperty [--agent-chat-thinking-foreground=#5d5a52] - Reasoning text.
 * @cssproperty [--agent-chat-code-background=#f4f4f5] - Code blocks.
 * @cssproperty [--agent-chat-radius=12px] - Card corner radius.
 * @cssproperty [--agent-chat-focus-ring=#2563eb] - Focus outline.
 * @cssproperty [--agent-chat-shadow] - Shadow of the composer and awaiting cards.
 * @cssproperty [--agent-chat-thumbnail-size=2.5rem] - Side of a file chip's thumbnail or type badge.
 * @cssproperty [--agent-chat-attachment-image-height=7.5rem] - Height of a sent image's thumbnail.
 */
export class AgentChat extends LitElement {
  static override styles = [themeStyles, ...AgentChatMessages.lightDomStyles, ...AgentChatComposer.lightDomStyles, agentChatStyles];
  static dependencies = {
    'agent-chat-status': AgentChatStatus,
    'agent-chat-messages': AgentChatMessages,
    'agent-chat-composer': AgentChatComposer,
  };
  /** Parts a chat without tools never shows: fetched when the first tool call comes, or when first shown. */
  static lazyDependencies = {
    'agent-chat-code-panel': () => import('../tool-parts/tool-parts.js').then((m) => m.AgentChatCodePanel),
    'agent-chat-approvals': () => import('../tool-parts/tool-parts.js').then((m) => m.AgentChatApprovals),
  };

  static override properties = {
    endpoint: { type: String },
    protocol: { type: String },
    sessionId: { type: String, attribute: 'session-id' },
    theme: { type: String, reflect: true },
    strings: { attribute: false },
    client: { attribute: false },
    panelOpen: { type: Boolean, attribute: 'panel-open', reflect: true },
    windowSize: { type: Number, attribute: 'window-size' },
    htmlSanitizer: { attribute: false },
    allowedImageHosts: {
      attribute: 'allowed-image-hosts',
      // Typed as the converter it is, so the published declarations do not name parseHostList.
      converter: { fromAttribute: parseHostList, toAttribute: (hosts: readonly string[]) => hosts.join(' ') } as ComplexAttributeConverter<readonly string[]>,
    },
    focusOnLoad: { type: String, attribute: 'focus-on-load' },
  };

  /** Base URL of the agent-chat API (default `/api`), or with `protocol="ag-ui"` the AG-UI agent's run URL. */
  declare endpoint: string;
  /**
   * What `endpoint` speaks: unset, agent-chat's HTTP API; `ag-ui`, any AG-UI
   * 1.0 agent (the AG-UI client loads on first use). Undo, edit, models and
   * the sessions list need agent-chat's API and stay hidden on an AG-UI agent.
   */
  declare protocol: 'ag-ui' | undefined;
  /** Session to show. Without it, the session remembered for `endpoint` is resumed, or a new one is created. */
  declare sessionId: string | undefined;
  /** `dark` or `light` forces a palette; unset follows `prefers-color-scheme`. */
  declare theme: 'dark' | 'light' | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /** A configured client (auth headers, credentials, a mock transport); by default one is made for `endpoint`. */
  declare client: AgentChatClient | undefined;
  /** Whether the code panel is open. The user opens it from a tool call; it follows the running tool unless pinned. */
  declare panelOpen: boolean;
  /** How many of the newest messages are in the DOM (see `<agent-chat-messages>`). Default 40. */
  declare windowSize: number;
  /** Opt in to raw HTML in answers: a function that makes HTML safe, e.g. `(html) => DOMPurify.sanitize(html)`. Unset (the default), raw HTML shows as text (see `<agent-chat-messages>`). */
  declare htmlSanitizer: HtmlSanitizer | undefined;
  /**
   * Hosts whose images in answers load by themselves (attribute
   * `allowed-image-hosts="cdn.example.com *.example.org"`; `*` allows every
   * host). Images from the page's origin, from `endpoint`'s origin, relative
   * and `data:` URLs always load; any other shows as a button naming its host
   * and loads when clicked (see `<agent-chat-messages>`). Default: none.
   */
  declare allowedImageHosts: readonly string[];
  /**
   * Whether to focus the composer (or the first approval waiting) once the
   * session is open: `auto` (the default) does when nothing else on the page
   * has focus and the whole element is in view, which is when the chat is
   * the page's main thing; `always` does regardless; `never` leaves focus alone.
   */
  declare focusOnLoad: 'auto' | 'always' | 'never';

  #announcement = '';
  #features: ServerFeatures = NO_FEATURES;
  #models: ModelOption[] = [];
  #model: string | undefined;
  /** Edited inputs of pending tool calls, by id; kept in sessionStorage across reloads (see pending-edits.ts). */
  #edits = new Map<string, unknown>();
  /** The session whose stored edits were restored (once per open). */
  #editsRestoredFor: string | undefined;
  #submittingApprovals = false;
  #focusApproval = false;
  #focusComposer = false;
  /** The first open of a session was seen (focus-on-load is considered once per element). */
  #loadFocusDone = false;
  #needsStart = false;
  /** Panel: the call the user pinned, the one they last picked, the one last followed. */
  #pinned: string | undefined;
  #picked: string | undefined;
  #followed: string | undefined;
  #editRequested = false;
  /** What had focus when the user opened the panel (and whether to edit), so closing it gives focus back there. */
  #panelOpener: { element: HTMLElement | undefined; toolCallId: string; edit: boolean } | undefined;
  /** After "Use this input": the pending call whose Approve button gets focus once rendered. */
  #focusDecision: string | undefined;
  /**
   * The parts loaded on need: each when first shown, and both as soon as the latest
   * message has a tool call, so that they are there by the time an approval or a
   * click on "open in panel" needs them. A chat without tools never loads them.
   * A shown part that failed is tried again on the next send or session.
   */
  readonly #parts = new LazyPartsController(
    this,
    (tag) => this.#shows(tag),
    (error) => this.#session?.reportError(error),
    () => {
      const state = this.#state;
      const tools = state.pendingApprovals.length > 0 || !!state.messages.at(-1)?.parts.some((p) => p.type === 'tool_call');
      const tags = ['agent-chat-approvals', 'agent-chat-code-panel'].filter((tag) => tools || this.#shows(tag));
      // The attachment parts as soon as the server announces attachments.
      return this.#features.attachments ? [...tags, 'agent-chat-uploads'] : tags;
    },
  );
  /** While events stream in, one render per animation frame. */
  readonly #frames = new FrameBatchController(this, () => !!this.#session?.streaming);

  /** The session shown (replaced when `endpoint`, `sessionId` or `client` change) and its client. */
  #session: ChatSession | undefined;
  #activeClient: AgentChatClient | undefined;
  /** The client, session and limits the attachment parts upload to and load from. */
  #attachmentHost: AttachmentHost | undefined;

  constructor() {
    super();
    this.endpoint = '/api';
    this.sessionId = undefined;
    this.theme = undefined;
    this.strings = {};
    this.client = undefined;
    this.panelOpen = false;
    this.windowSize = 40;
    this.focusOnLoad = 'auto';
    this.allowedImageHosts = [];
    this.addEventListener('keydown', (event) => this.#onShortcut(event));
  }

  /** "/" outside a text field jumps to the composer (as in many chat and mail apps). */
  #onShortcut(event: KeyboardEvent): void {
    if (event.key !== '/' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'))) return;
    const composer = this.#composer();
    if (!composer || composer.disabled) return;
    event.preventDefault();
    composer.focus();
  }

  #focusOnLoadWanted(): boolean {
    if (this.focusOnLoad === 'never') return false;
    if (this.focusOnLoad === 'always') return true;
    const active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return false;
    const box = this.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1;
  }

  /** The conversation as the reducer built it. Read-only; replaced (never mutated) on every event. */
  get conversation(): ConversationState {
    return this.#state;
  }

  /** Whether a stream of events is being read (a turn runs or is followed). */
  get streaming(): boolean {
    return this.#session?.streaming ?? false;
  }

  get #state(): ConversationState {
    return this.#session?.state ?? NO_CONVERSATION;
  }

  get #ready(): boolean {
    return this.#session?.ready ?? false;
  }

  /** Why no session could be opened (`code`, `message`; e.g. 429 `session_limit`), while that is so; else undefined. */
  get openError(): ChatErrorInfo | undefined {
    return this.#session?.failed ? this.#session.error : undefined;
  }

  /** What the server supports (from `GET {endpoint}/health`); all false until known. */
  get features(): ServerFeatures {
    return this.#features;
  }

  /** The tool call the code panel shows: pinned, else the running one, else the last picked or followed. */
  get panelToolCallId(): string | undefined {
    return this.#pinned ?? this.#followed ?? this.#picked;
  }

  get #strings(): AgentChatStrings {
    return resolveStrings(this.strings);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#needsStart = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#session?.disconnect();
  }

  /**
   * While events stream in, renders at most once per animation frame: events
   * arriving in between are reduced into the state and drawn together.
   */
  protected override async scheduleUpdate(): Promise<void> {
    await this.#frames.frame();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const restart = changed.has('endpoint') || changed.has('sessionId') || changed.has('client') || changed.has('protocol');
    // Setting `session-id` to the session already shown (e.g. a sidebar following this element) is no switch.
    const sameSession =
      !changed.has('endpoint') && !changed.has('client') && this.sessionId !== undefined && this.sessionId === this.#state.sessionId;
    if (this.isConnected && (this.#needsStart || (restart && this.hasUpdated && !sameSession))) {
      this.#needsStart = false;
      this.#start(restart);
    }
    // The panel follows the running tool unless the user pinned one.
    const running = runningToolCall(this.#state);
    if (running) this.#followed = running.toolCallId;
  }

  /** Whether `tag` is in the current render. */
  #shows(tag: string): boolean {
    return tag === 'agent-chat-approvals' ? this.#state.pendingApprovals.length > 0 : this.panelOpen;
  }

  /**
   * Sends a message as if the user typed it and follows the turn. Resolves
   * when the turn's stream ends (complete, waiting for approval, stopped or
   * failed) with true, or at once with false when nothing was sent: not
   * connected yet, a turn already running, empty text, or `agent-chat-send` cancelled.
   */
  async send(text: string): Promise<boolean> {
    if (!this.#canSend(text)) return false;
    if (!this.dispatchEvent(new AgentChatSendEvent({ text }))) return false;
    const composer = this.#composer();
    if (composer) composer.value = '';
    return this.#sendNow(text);
  }

  #canSend(text: string, attachments?: readonly unknown[]): boolean {
    return this.#session?.canSend(text, attachments) ?? false;
  }

  async #sendNow(text: string, attachments?: string[]): Promise<boolean> {
    const session = this.#session;
    if (!session?.canSend(text, attachments)) return false;
    this.#focusComposer = true;
    this.#followed = undefined;
    this.#parts.retryFailed();
    // Sending brings the view down to the new turn, even if the user had scrolled up.
    this.renderRoot.querySelector('agent-chat-messages')?.scrollToLatest();
    this.requestUpdate();
    return session.send(text, { attachments });
  }

  /** Stops the running turn (`POST {endpoint}/interrupt/:id`). */
  async stop(): Promise<void> {
    await this.#session?.stop();
  }

  /** Answers pending tool calls and follows the resumed turn. */
  async approve(approvals: ApprovalDecision[]): Promise<void> {
    const session = this.#session;
    if (!session?.sessionId || approvals.length === 0) return;
    this.#submittingApprovals = true;
    this.#focusComposer = true;
    this.requestUpdate();
    try {
      await session.approve(approvals);
    } finally {
      this.#submittingApprovals = false;
      // Sent: forget the edits. Refused (e.g. offline): keep them, with their mark, for the next try.
      if (this.#state.pendingApprovals.length === 0) this.#setEdits(new Map());
      this.requestUpdate();
    }
  }

  /**
   * Undoes the last turn (`POST {endpoint}/undo/:id`) when the server offers it.
   * @throws nothing: failures are shown and fired as `agent-chat-error`.
   */
  async undo(): Promise<void> {
    await this.#session?.undo();
  }

  /**
   * Edit-and-regenerate: truncates the conversation before the user message
   * number `userMessageIndex` (from 0; `POST {endpoint}/truncate/:id`) and sends `text` in its place.
   */
  async editAndRegenerate(userMessageIndex: number, text: string): Promise<void> {
    if (!text.trim()) return;
    if (await this.#session?.truncate(userMessageIndex)) await this.#sendNow(text);
  }

  // ---- session ----

  /**
   * (Re)starts the session from the server's state. Unless `endpoint`,
   * `sessionId` or `client` changed (`replace`), the element keeps its
   * `ChatSession`: moved in the page while its session was being created, it
   * reuses that session instead of making another.
   */
  #start(replace: boolean): void {
    let session = this.#session;
    if (replace || !session) {
      session?.disconnect();
      const client: AgentChatClient =
        this.client ?? (this.protocol == 'ag-ui' ? lazyAgUiClient(this.endpoint) : new ChatClient({ endpoint: this.endpoint }));
      this.#activeClient = client;
      // Once disconnected (replaced, or the element removed), a session calls none of these.
      session = this.#session = new ChatSession({
        client,
        sessionId: this.sessionId,
        storageKey: sessionStorageKey(this.endpoint),
        onChange: () => {
          this.#syncEdits();
          this.requestUpdate();
        },
        onEvent: (event) => this.#receive(event),
        onSessionOpen: (id) => {
          const title = this.#state.title;
          this.dispatchEvent(new AgentChatSessionChangeEvent({ sessionId: id, ...(title ? { title } : {}) }));
        },
        onError: (detail) => {
          this.#announce(format(this.#strings.announceError, { message: detail.message }));
          this.dispatchEvent(new AgentChatErrorEvent(detail));
        },
      });
      this.#attachmentHost = { client, session };
    }
    this.#edits = new Map();
    this.#editsRestoredFor = undefined;
    this.#pinned = this.#picked = this.#followed = undefined;
    this.#parts.retryFailed();
    session.connect();
    void this.#loadServerInfo(this.#activeClient!, session.signal);
    this.requestUpdate();
  }

  /**
   * At the session limit no new session can be made: opens the user's most
   * recently used one instead (`GET {endpoint}/sessions`), as if picked.
   */
  async #openLatest(): Promise<void> {
    const session = this.#session;
    const client = this.#activeClient;
    if (!session || !client) return;
    try {
      const sessions = await client.listSessions({ signal: session.signal });
      const latest = [...sessions].sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0))[0];
      if (latest && !session.signal.aborted) this.sessionId = latest.id;
    } catch (error) {
      session.reportError(error);
    }
  }

  /**
   * Replaces the edits and stores them for a reload, once the approval bar's class (which
   * holds the storage, util/pending-edits.ts) is defined: with the prebuilt bundle, as soon as
   * a call waits for approval.
   */
  #setEdits(edits: Map<string, unknown>): void {
    this.#edits = edits;
    const id = this.#state.sessionId;
    if (id) withApprovalsClass(({ pendingEdits }) => pendingEdits.save(pendingEdits.key(this.endpoint, id), edits));
  }

  /**
   * Once the session is open, brings back the edits stored before a reload
   * (for the calls still waiting); once no call waits, forgets them.
   */
  #syncEdits(): void {
    const state = this.#state;
    const id = state.sessionId;
    if (!id || !this.#ready) return;
    if (this.#editsRestoredFor !== id) {
      this.#editsRestoredFor = id;
      const pending = state.pendingApprovals.map((a) => a.toolCallId);
      withApprovalsClass(({ pendingEdits }) => {
        if (this.#state.sessionId !== id) return;
        this.#setEdits(new Map([...pendingEdits.load(pendingEdits.key(this.endpoint, id), pending), ...this.#edits]));
        // Straight to a bar that was just defined too, once it took the properties set before (this element may wait a frame).
        const bar = this.renderRoot.querySelector('agent-chat-approvals');
        void bar?.updateComplete.then(() => (bar.edits = this.#edits));
        this.requestUpdate();
      });
    } else if (state.pendingApprovals.length === 0 && this.#edits.size > 0 && !this.#submittingApprovals) {
      this.#setEdits(new Map());
    }
  }

  /** Features and models: optional, so a failure only leaves their UI hidden. */
  async #loadServerInfo(client: AgentChatClient, signal: AbortSignal): Promise<void> {
    try {
      const features = await detectFeatures(client, signal);
      if (signal.aborted) return;
      this.#features = features;
      this.#attachmentHost!.limits = features.attachmentLimits;
      this.requestUpdate();
      if (features.models && client.getModelConfig) {
        const config = await client.getModelConfig({ signal });
        if (signal.aborted) return;
        this.#models = config.models;
        this.#model ??= config.model ?? undefined;
        this.requestUpdate();
      }
    } catch {
      // An older server without /health features or /config/model: nothing to offer.
    }
  }

  /** Announces what an applied event means and fires the element's events for it. */
  #receive(event: AgentEvent): void {
    const s = this.#strings;
    switch (event.type) {
      case 'processing':
        if (event.userMessage) {
          this.#announce(s.announceTurnStarted);
          // A pin lasts for its turn: a new turn's tools take the panel again.
          this.#pinned = undefined;
        }
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
      case 'title':
        if (this.#state.sessionId) this.dispatchEvent(new AgentChatTitleEvent({ sessionId: this.#state.sessionId, title: event.title }));
        break;
      case 'error':
        this.#announce(format(s.announceError, { message: event.message }));
        this.dispatchEvent(
          new AgentChatErrorEvent({ code: event.code, message: event.message, retryable: event.retryable }),
        );
        break;
    }
  }

  #announce(text: string): void {
    this.#announcement = text;
    this.requestUpdate();
  }

  // ---- events from the parts ----

  #composer(): AgentChatComposer | null {
    return this.renderRoot.querySelector('agent-chat-composer');
  }

  #onComposerSend(event: AgentChatSendEvent): void {
    const { text, attachments } = event.detail;
    if (!this.#canSend(text, attachments)) {
      event.preventDefault();
      return;
    }
    afterDispatch(event, () => void this.#sendNow(text, attachments?.map((a) => a.id)));
  }

  /**
   * Escape stops a turn only from the composer with nothing else open: while
   * tool calls wait for approval, stopping would drop the approval (and any
   * edited input), so only the Stop button does it then.
   */
  #onStop(event: AgentChatStopEvent): void {
    if (event.detail.source === 'escape' && this.#state.pendingApprovals.length > 0) return;
    void this.stop();
  }

  /** Escape inside the code panel closes it (an editor inside handles its own Escape first) and gives focus back. */
  #onPanelKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    this.#closePanel();
  }

  #closePanel(): void {
    const id = this.panelToolCallId;
    const opener = this.#panelOpener;
    this.panelOpen = false;
    this.#panelOpener = undefined;
    // Back to the button that opened the panel, or near it (see the code panel's returnFocusTarget); else the composer.
    const target = codePanelClass()?.returnFocusTarget(this.renderRoot, id, opener);
    if (target) target.focus();
    else this.#composer()?.focus();
  }

  /** The deepest focused element inside this element, if any. */
  #focusedInside(): HTMLElement | undefined {
    let active = (this.renderRoot as ShadowRoot).activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active instanceof HTMLElement ? active : undefined;
  }

  #onApprove(event: AgentChatApproveEvent): void {
    const approvals = event.detail.approvals;
    afterDispatch(event, () => void this.approve(approvals));
  }

  #onEditMessage(event: AgentChatEditMessageEvent): void {
    const { userMessageIndex, text } = event.detail;
    afterDispatch(event, () => void this.editAndRegenerate(userMessageIndex, text));
  }

  #onUndo(event: AgentChatUndoEvent): void {
    afterDispatch(event, () => void this.undo());
  }

  #onModelChange(event: AgentChatModelChangeEvent): void {
    const model = event.detail.model;
    afterDispatch(event, () => {
      this.#model = model;
      const session = this.#session;
      const id = session?.sessionId;
      const client = this.#activeClient;
      if (session && id && client?.setSessionModel) {
        const signal = session.signal;
        client.setSessionModel(id, model, { signal }).catch((error: unknown) => session.reportError(error, signal));
      }
      this.requestUpdate();
    });
  }

  #imageHostsFor: { hosts: readonly string[]; endpoint: string; value: readonly string[] } | undefined;

  /** `allowedImageHosts` plus the host of a cross-origin `endpoint` (the server's own files load), kept as one array while they do not change. */
  #imageHosts(): readonly string[] {
    const cached = this.#imageHostsFor;
    if (cached && cached.hosts === this.allowedImageHosts && cached.endpoint === this.endpoint) return cached.value;
    let value = this.allowedImageHosts;
    try {
      const url = new URL(this.endpoint, document.baseURI);
      if (url.origin !== location.origin && /^https?:$/.test(url.protocol)) value = [...value, url.host];
    } catch {
      // An endpoint that is not a URL adds nothing.
    }
    this.#imageHostsFor = { hosts: this.allowedImageHosts, endpoint: this.endpoint, value };
    return value;
  }

  #onToolSelect(event: AgentChatToolSelectEvent): void {
    const { toolCallId, edit } = event.detail;
    this.#picked = toolCallId;
    // Picking a call other than the running one stops following it until the next tool starts.
    this.#followed = undefined;
    // The user's pick wins over a pin: a pinned panel moves its pin to the call they opened.
    if (edit || this.#pinned !== undefined) this.#pinned = toolCallId;
    if (edit) this.#editRequested = true;
    // Keep the first opener while the panel stays open (a pick inside it is no new opener).
    if (!this.panelOpen || !this.#panelOpener) this.#panelOpener = { element: this.#focusedInside(), toolCallId, edit: !!edit };
    this.panelOpen = true;
    this.requestUpdate();
  }

  #onInputEdit(event: AgentChatInputEditEvent): void {
    const { toolCallId, input, action } = event.detail;
    const edits = new Map(this.#edits);
    if (input === undefined) edits.delete(toolCallId);
    else edits.set(toolCallId, input);
    this.#setEdits(edits);
    if (action === 'save' && this.#state.pendingApprovals.some((p) => p.toolCallId === toolCallId)) {
      // "Use this input": the next step is the decision. Where the panel hides it (the sheet on a
      // phone), the panel closes; either way focus goes to the call's Approve button.
      if (codePanelClass()?.coversApprovals(this.renderRoot)) {
        this.panelOpen = false;
        this.#panelOpener = undefined;
      }
      this.#focusDecision = toolCallId;
    }
    this.requestUpdate();
  }

  #onPin(event: AgentChatPanelPinEvent): void {
    const previous = this.#pinned;
    this.#pinned = event.detail.toolCallId ?? undefined;
    // Unpinned, the panel keeps the call in view until the agent runs another tool.
    if (!this.#pinned) {
      this.#picked = previous;
      this.#followed = undefined;
    }
    this.requestUpdate();
  }

  // ---- rendering ----

  protected override updated(): void {
    if (!this.#loadFocusDone && this.#ready) {
      this.#loadFocusDone = true;
      if (this.#focusOnLoadWanted()) {
        const preventScroll = this.focusOnLoad !== 'always';
        if (this.#state.pendingApprovals.length > 0) this.#focusApproval = true;
        else void this.#whenPart<AgentChatComposer>('agent-chat-composer').then((composer) => composer?.focus({ preventScroll }));
      }
    }
    if (this.#focusDecision !== undefined) {
      const id = this.#focusDecision;
      this.#focusDecision = undefined;
      void this.#whenPart<AgentChatApprovals>('agent-chat-approvals').then((panel) => panel?.focusFirst(id));
    } else if (this.#focusApproval) {
      this.#focusApproval = false;
      void this.#whenPart<AgentChatApprovals>('agent-chat-approvals').then((panel) => panel?.focusFirst());
    } else if (this.#focusComposer && this.#state.status !== 'awaiting_approval') {
      this.#focusComposer = false;
      this.#composer()?.focus();
    }
    if (this.#editRequested) {
      this.#editRequested = false;
      void this.#whenPart<AgentChatCodePanel>('agent-chat-code-panel').then((panel) => panel?.startEditing());
    }
  }

  /**
   * The part `tag` in the shadow root once its class is defined (it may be loading)
   * and it rendered the properties set on it before; null when it is no longer there.
   */
  async #whenPart<E extends HTMLElement & { updateComplete: Promise<boolean> }>(tag: string): Promise<E | null> {
    await customElements.whenDefined(tag);
    const part = this.renderRoot.querySelector<E>(tag);
    await part?.updateComplete;
    return part;
  }

  protected override render(): TemplateResult {
    const s = this.#strings;
    const state = this.#state;
    const running = state.status !== 'idle';
    const error = state.error ?? this.#session?.error;
    const panelId = this.panelToolCallId;
    const panelCall = findToolCall(state, panelId);
    const panelApproval = state.pendingApprovals.find((p) => p.toolCallId === panelId);
    return html`<button type="button" class="skip-link" part="skip-link" aria-keyshortcuts="/" @click=${() => this.#composer()?.focus()}>
        ${s.skipToInput}
      </button>
      <slot name="header"></slot>
      <agent-chat-status
        theme="inherit"
        exportparts="status-bar, activity, usage, turn-usage, session-usage"
        .conversation=${state}
        .connection=${this.#session?.failed ? 'failed' : this.#ready ? 'open' : 'connecting'}
        .strings=${this.strings}
      ></agent-chat-status>
      <div class="main">
        <div class="conversation">
          <agent-chat-messages
            light-dom
            .messages=${state.messages}
            .running=${running}
            .ready=${this.#ready}
            .error=${error}
            .canUndo=${this.#features.undo}
            .canEdit=${this.#features.truncate}
            .attachmentHost=${this.#attachmentHost}
            .selectedToolCallId=${this.panelOpen ? panelId : undefined}
            .edits=${this.#edits}
            .windowSize=${this.windowSize}
            .htmlSanitizer=${this.htmlSanitizer}
            .allowedImageHosts=${this.#imageHosts()}
            .strings=${this.strings}
            @agent-chat-edit-message=${this.#onEditMessage}
            @agent-chat-undo=${this.#onUndo}
            @agent-chat-tool-select=${this.#onToolSelect}
          ></agent-chat-messages>
          <div class="dock">
            ${state.pendingApprovals.length > 0
              ? html`<agent-chat-approvals
                  theme="inherit"
                  exportparts="approvals, approvals-header, approval, approval-name, approval-reason, feedback, approve-button, reject-button, edit-button, approve-all, reject-all, edited-badge"
                  .approvals=${state.pendingApprovals}
                  .edits=${this.#edits}
                  .busy=${this.#submittingApprovals}
                  .strings=${this.strings}
                  @agent-chat-approve=${this.#onApprove}
                  @agent-chat-tool-select=${this.#onToolSelect}
                ></agent-chat-approvals>`
              : nothing}
            ${this.#session?.failed
              ? html`<p class="connect-failed" part="connect-failed">
                  ${s.connectFailed}
                  <button type="button" part="retry" @click=${() => this.#start(false)}>${s.retry}</button>
                  ${this.#session.error?.code === 'session_limit'
                    ? html`<button type="button" part="open-latest" @click=${() => void this.#openLatest()}>${s.openLatestSession}</button>`
                    : nothing}
                </p>`
              : nothing}
            <agent-chat-composer
              light-dom
              .disabled=${!this.#ready}
              .running=${running}
              .placeholder=${this.#ready ? s.inputPlaceholder : this.#session?.failed ? s.notConnected : s.connecting}
              .models=${this.#models}
              .model=${this.#model}
              .attachments=${this.#features.attachments}
              .attachmentHost=${this.#attachmentHost}
              .strings=${this.strings}
              @agent-chat-send=${this.#onComposerSend}
              @agent-chat-stop=${this.#onStop}
              @agent-chat-model-change=${this.#onModelChange}
            ></agent-chat-composer>
          </div>
        </div>
        ${this.panelOpen
          ? html`<agent-chat-code-panel
              class="code-panel"
              part="code-panel"
              theme="inherit"
              exportparts="panel-header, panel-body, editor, diff, validation"
              .call=${panelCall}
              .approval=${panelApproval}
              .edited=${panelId !== undefined && this.#edits.has(panelId)}
              .editedInput=${panelId !== undefined ? this.#edits.get(panelId) : undefined}
              .pinned=${this.#pinned !== undefined}
              .following=${this.#followed !== undefined && this.#followed === panelId}
              .strings=${this.strings}
              @agent-chat-input-edit=${this.#onInputEdit}
              @agent-chat-panel-pin=${this.#onPin}
              @agent-chat-panel-close=${() => this.#closePanel()}
              @keydown=${this.#onPanelKeydown}
            ></agent-chat-code-panel>`
          : nothing}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.#announcement}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat': AgentChat;
  }
}
