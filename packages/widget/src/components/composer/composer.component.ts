import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { AttachmentHost, ModelOption } from '../../client.js';
import { resolveStrings, type AgentChatStrings } from '../../strings.js';
import { ensureDefined } from '../../define-element.js';
import type { AgentChatUploads } from '../attachments/uploads.component.js';
import { AgentChatSendEvent } from '../../events/send-event.js';
import { AgentChatStopEvent } from '../../events/stop-event.js';
import { AgentChatModelChangeEvent } from '../../events/model-change-event.js';
import { AgentChatAttachEvent } from '../../events/attach-event.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { composerStyles } from './composer.styles.js';

/**
 * The message composer: Enter sends, Shift+Enter breaks the line, Escape
 * stops a running turn (the text stays; Escape never clears it). Shows Stop instead of Send while a turn runs, a model
 * selector when given models, and, only when `attachments` is set (the server
 * accepts files), an attach button plus paste and drop of files: each file
 * uploads at once through `attachmentHost` and shows as a chip of
 * `<agent-chat-uploads>` (loaded on first need), with its progress, its error
 * or its thumbnail; Send waits until no upload runs, and sends the uploaded files
 * (with or without text).
 *
 * @tagname agent-chat-composer
 * With the `light-dom` attribute it renders without a shadow root (see `<agent-chat-messages>`).
 *
 * @summary Text input with send, stop, model and attachments.
 *
 * @event {AgentChatSendEvent} agent-chat-send - The user sends (`detail.text`, `detail.attachments`). Cancelable: the text and files stay.
 * @event {AgentChatStopEvent} agent-chat-stop - The user asked to stop the turn.
 * @event {AgentChatModelChangeEvent} agent-chat-model-change - The user picked a model. Cancelable.
 * @event {AgentChatAttachEvent} agent-chat-attach - The user added files. Cancelable.
 *
 * @csspart composer - The form.
 * @csspart input - The textarea.
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
 *
 * @event {AgentChatUploadsChangeEvent} agent-chat-uploads-change - A file was added, uploaded, refused or removed (from `<agent-chat-uploads>`).
 *
 * @cssproperty [--agent-chat-thumbnail-size=2.5rem] - Side of a file chip's thumbnail or type badge.
 * @cssproperty [--agent-chat-attachment-image-height=7.5rem] - Height of a sent image's thumbnail.
 */
export class AgentChatComposer extends LitElement {
  static override styles = [themeStyles, composerStyles(':host')];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static lazyDependencies = {
    'agent-chat-uploads': () => import('../attachments/attachment-parts.js').then((m) => m.AgentChatUploads),
  };
  /** Styles for the `light-dom` mode, for the composing element to adopt in its own shadow root. */
  static readonly lightDomStyles = [composerStyles('agent-chat-composer')];

  /**
   * With the `light-dom` attribute, renders into the shadow tree of the
   * element that composes it (as `<agent-chat>` does), with no shadow root of its own.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    return this.hasAttribute('light-dom') ? this : super.createRenderRoot();
  }

  /** Focuses the text input. */
  override focus(options?: FocusOptions): void {
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    if (input) input.focus(options);
    else super.focus(options);
  }

  static override properties = {
    value: { type: String },
    disabled: { type: Boolean, reflect: true },
    running: { type: Boolean, reflect: true },
    placeholder: { type: String },
    models: { attribute: false },
    model: { type: String },
    attachments: { type: Boolean },
    attachmentHost: { attribute: false },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The text being written. */
  declare value: string;
  /** Nothing can be typed or sent (e.g. not connected yet). */
  declare disabled: boolean;
  /** A turn runs: Send becomes Stop, Enter does not send. */
  declare running: boolean;
  /** Placeholder; defaults to the `inputPlaceholder` string. */
  declare placeholder: string | undefined;
  /** Models to choose from; the selector is hidden with fewer than two. */
  declare models: ModelOption[];
  /** Id of the selected model. */
  declare model: string | undefined;
  /** Whether the server accepts files; without it no attachment UI is shown. */
  declare attachments: boolean;
  /** Where files upload to (the client, the session and the server's limits); `<agent-chat>` sets it. */
  declare attachmentHost: AttachmentHost | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #dragging = false;

  constructor() {
    super();
    this.value = '';
    this.disabled = false;
    this.running = false;
    this.placeholder = undefined;
    this.models = [];
    this.model = undefined;
    this.attachments = false;
    this.strings = {};
    this.theme = undefined;
  }

  /** The chips of the files added; until its part is loaded, an element without its methods and properties. */
  #uploads(): AgentChatUploads | null {
    return this.renderRoot.querySelector('agent-chat-uploads');
  }

  /**
   * Sends the current text and the uploaded files as the user would: fires
   * `agent-chat-send`, and unless a listener cancels it, clears the text and
   * files. Not while a file uploads. Returns whether it was sent.
   */
  submit(): boolean {
    const uploads = this.#uploads();
    const attachments = uploads?.attachments;
    if (this.disabled || this.running || uploads?.busy || !(this.value.trim() || attachments?.length)) return false;
    if (!this.dispatchEvent(new AgentChatSendEvent({ text: this.value, attachments }))) return false;
    this.value = '';
    uploads?.clear?.();
    return true;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape' && this.running && !event.isComposing) {
      // Stopping keeps the text: nothing typed is lost.
      event.preventDefault();
      this.dispatchEvent(new AgentChatStopEvent({ source: 'escape' }));
    }
  }

  #addFiles(files: File[]): void {
    if (this.attachments && files.length && this.dispatchEvent(new AgentChatAttachEvent({ files }))) {
      void ensureDefined('agent-chat-uploads').then(() => this.#uploads()?.add(files));
    }
  }

  #onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (this.attachments && files.length > 0) {
      event.preventDefault();
      this.#addFiles(files);
    }
  }

  #onDrag(event: DragEvent, over: boolean): void {
    if (!this.attachments || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    if (this.#dragging !== over) {
      this.#dragging = over;
      this.requestUpdate();
    }
  }

  #onDrop(event: DragEvent): void {
    if (!this.attachments) return;
    event.preventDefault();
    this.#dragging = false;
    this.#addFiles([...(event.dataTransfer?.files ?? [])]);
  }

  /**
   * Drawn by `<agent-chat-uploads>`'s class, loaded with the attachment parts: until it is
   * defined, none (a failed load is tried again on the next render; `<agent-chat>` reports it).
   */
  #attachButton(label: string): TemplateResult | typeof nothing {
    const uploads = customElements.get('agent-chat-uploads') as typeof AgentChatUploads | undefined;
    if (uploads) return uploads.attachButton(label, this.disabled, (files) => this.#addFiles(files));
    ensureDefined('agent-chat-uploads').then(() => this.requestUpdate(), () => {});
    return nothing;
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    const uploads = this.#uploads();
    return html`<form
      class="composer ${this.#dragging ? 'dragging' : ''}"
      part="composer"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        this.submit();
      }}
      @dragover=${(e: DragEvent) => this.#onDrag(e, true)}
      @dragleave=${(e: DragEvent) => this.#onDrag(e, false)}
      @drop=${(e: DragEvent) => this.#onDrop(e)}
    >
      ${this.attachments
        ? html`<agent-chat-uploads
            .host=${this.attachmentHost}
            .strings=${this.strings}
            @agent-chat-uploads-change=${() => this.requestUpdate()}
          ></agent-chat-uploads>`
        : nothing}
      <label class="visually-hidden" for="input">${s.inputLabel}</label>
      <textarea
        id="input"
        part="input"
        rows="1"
        placeholder=${this.placeholder ?? s.inputPlaceholder}
        ?disabled=${this.disabled}
        .value=${this.value}
        @input=${(e: InputEvent) => (this.value = (e.target as HTMLTextAreaElement).value)}
        @keydown=${this.#onKeydown}
        @paste=${this.#onPaste}
      ></textarea>
      <div class="toolbar">
        ${this.attachments ? this.#attachButton(s.attach) : nothing}
        ${this.models.length > 1
          ? html`<select
              part="model-select"
              aria-label=${s.modelLabel}
              ?disabled=${this.disabled || this.running}
              @change=${(e: Event) => {
                const select = e.target as HTMLSelectElement;
                const previous = this.model;
                if (this.dispatchEvent(new AgentChatModelChangeEvent({ model: select.value }))) this.model = select.value;
                else select.value = previous ?? '';
              }}
            >
              ${this.models.map(
                (m) => html`<option value=${m.id} ?selected=${m.id === this.model}>${m.label}${m.recommended ? ' ★' : ''}</option>`,
              )}
            </select>`
          : nothing}
        <span class="spacer"></span>
        ${this.running
          ? html`<button type="button" part="stop-button" class="stop" aria-label=${s.stopLabel} @click=${() => this.dispatchEvent(new AgentChatStopEvent({ source: 'button' }))}>
              <span class="stop-icon" aria-hidden="true"></span>${s.stop}
            </button>`
          : html`<button type="submit" class="primary" part="send-button" ?disabled=${this.disabled || uploads?.busy || !(this.value.trim() || uploads?.attachments?.length)}>
              ${s.send}
            </button>`}
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-composer': AgentChatComposer;
  }
}
