import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ChatApiError, type Attachment } from '@agent-chat/core';
import { deleteAttachment, uploadAttachment } from '@agent-chat/core/attachments';
import type { AttachmentHost } from '../../client.js';
import { format, type AgentChatStrings, type AttachmentStrings } from '../../strings.js';
import { formatBytes } from '../../util/format-bytes.js';
import { AgentChatUploadsChangeEvent } from '../../events/uploads-change-event.js';
import { acceptsType, attachmentStrings, isImage, target } from './attachment-context.js';
import { adoptStyles } from './attachments.styles.js';

/** One file of the draft. */
interface Upload {
  key: number;
  file: File;
  /** Object URL of an image's bytes, for its thumbnail; revoked when the chip goes. */
  preview?: string;
  /** Bytes of the request sent, and its size (the file and its multipart framing; 0 until known). */
  loaded: number;
  total: number;
  attachment?: Attachment;
  /** Why it was refused; the chip stays until removed, and nothing else of the draft is lost. */
  error?: string;
  controller: AbortController;
}

let nextKey = 0;

/**
 * The files of the composer's draft, one chip each: an image's thumbnail
 * (from the file itself) or its type, the name and size, a progress bar while
 * it uploads (`POST {endpoint}/session/:id/attachments`, through `host`), the
 * server's refusal (too large, wrong type, quota) or a limit's, and a remove
 * button (which cancels the upload, or deletes the uploaded file). Rendered by
 * `<agent-chat-composer>`, which hands it the files added and sends
 * {@link AgentChatUploads.attachments}.
 *
 * It has no shadow root: its parts belong to the tree around it (the
 * composer's, or `<agent-chat>`'s), and so do the theme tokens and button styles.
 *
 * @tagname agent-chat-uploads
 * @summary The composer's file chips: thumbnail, progress, error, remove.
 *
 * @event {AgentChatUploadsChangeEvent} agent-chat-uploads-change - A file was added, uploaded, refused or removed.
 *
 * @csspart attachments - The list of chips.
 * @csspart attachment - A chip; with `attachment-uploading`, `attachment-failed` or `attachment-done`.
 * @csspart attachment-uploading - A chip whose file is uploading.
 * @csspart attachment-failed - A chip whose file was refused.
 * @csspart attachment-done - A chip whose file is uploaded.
 * @csspart attachment-thumbnail - An image's thumbnail.
 * @csspart attachment-progress - The upload's progress bar (indeterminate until bytes are reported: fetch reports none).
 * @csspart attachment-error - Why the file was refused.
 * @csspart attachment-remove - The remove button.
 * @csspart attach-button - The composer's attach button: drawn by this class (`attachButton()`) in `<agent-chat-composer>`'s tree, beside this element.
 *
 * @cssproperty [--agent-chat-thumbnail-size=2.5rem] - Side of a chip's thumbnail.
 * @cssproperty [--agent-chat-attachment-image-height=7.5rem] - Height of a sent image's thumbnail (`<agent-chat-attachments>`, same styles).
 */
export class AgentChatUploads extends LitElement {
  static override properties = {
    host: { attribute: false },
    strings: { attribute: false },
  };

  /** Where files upload to: the client, the session and the server's limits. */
  declare host: AttachmentHost | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;

  #uploads: Upload[] = [];

  constructor() {
    super();
    this.host = undefined;
    this.strings = {};
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /**
   * `<agent-chat-composer>`'s attach button (a file input in a label; `add` takes the files
   * picked). Here, so the prebuilt bundle loads it with the attachment parts, not at once.
   * @internal
   */
  static attachButton(label: string, disabled: boolean, add: (files: File[]) => void): TemplateResult {
    return html`<label class="attach" part="attach-button">
      <input
        type="file"
        multiple
        class="visually-hidden"
        aria-label=${label}
        ?disabled=${disabled}
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          add([...(input.files ?? [])]);
          input.value = '';
        }}
      />
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <path d="M13.5 7.5 8 13a3.5 3.5 0 0 1-5-5l6-6a2.3 2.3 0 0 1 3.3 3.3L6.3 11.3a1.2 1.2 0 0 1-1.6-1.6L10 4.5" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>
      </svg>
    </label>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const upload of this.#uploads) this.#discard(upload);
    this.#uploads = [];
  }

  /** The files uploaded and ready to send, in the order added. */
  get attachments(): Attachment[] {
    return this.#uploads.flatMap((u) => (u.attachment ? [u.attachment] : []));
  }

  /** Whether a file is still uploading (Send waits). */
  get busy(): boolean {
    return this.#uploads.some((u) => !u.attachment && !u.error);
  }

  /**
   * Adds files and uploads each at once. A file over the server's limits
   * (size, type, files per message) is refused on its chip without uploading.
   */
  add(files: readonly File[]): void {
    const limits = this.host?.limits;
    const s = attachmentStrings(this.strings);
    for (const file of files) {
      const upload: Upload = { key: nextKey++, file, loaded: 0, total: 0, controller: new AbortController() };
      if (isImage(file.type)) upload.preview = URL.createObjectURL(file);
      const kept = this.#uploads.filter((u) => !u.error).length;
      if (limits && kept >= limits.maxFilesPerMessage) upload.error = format(s.attachmentTooMany, { max: limits.maxFilesPerMessage });
      else if (limits && file.size > limits.maxFileBytes) upload.error = format(s.attachmentTooLarge, { max: formatBytes(limits.maxFileBytes) });
      else if (!acceptsType(limits?.mediaTypes, file.type)) upload.error = s.attachmentWrongType;
      this.#uploads = [...this.#uploads, upload];
      if (!upload.error) void this.#upload(upload);
    }
    this.#changed();
  }

  /** Forgets every chip without deleting anything on the server: the files were sent. */
  clear(): void {
    for (const upload of this.#uploads) if (upload.preview) URL.revokeObjectURL(upload.preview);
    this.#uploads = [];
    this.#changed();
  }

  /**
   * Removes one file: cancels its upload, or deletes it from the server when
   * it was uploaded. Focus moves to the next chip's remove button, else to the
   * composer's text (the button that had it is gone).
   */
  async #remove(upload: Upload): Promise<void> {
    const index = this.#uploads.indexOf(upload);
    this.#discard(upload, true);
    this.#uploads = this.#uploads.filter((u) => u !== upload);
    this.#changed();
    await this.updateComplete;
    const buttons = this.querySelectorAll<HTMLButtonElement>('.att-remove');
    (buttons[Math.min(index, buttons.length - 1)] ?? this.parentElement?.querySelector('textarea'))?.focus();
  }

  async #upload(upload: Upload): Promise<void> {
    try {
      const { options, sessionId, signal } = target(this.host, upload.controller.signal);
      upload.attachment = await uploadAttachment({ options }, sessionId, upload.file, {
        signal,
        onProgress: (loaded, total) => {
          upload.loaded = loaded;
          upload.total = total;
          this.requestUpdate();
        },
      });
      // Removed meanwhile, after the server stored it: delete it there too.
      if (!this.#uploads.includes(upload)) this.#discard(upload, true);
    } catch (error) {
      if (upload.controller.signal.aborted) return;
      upload.error = this.#describe(error, attachmentStrings(this.strings));
    }
    this.#changed();
  }

  /** A refusal as the chip says it: the limit's own words for 413, 415 and 429, else the server's message. */
  #describe(error: unknown, s: AttachmentStrings): string {
    const status = error instanceof ChatApiError ? error.status : 0;
    const max = this.host?.limits?.maxFileBytes;
    if (status === 413) return format(s.attachmentTooLarge, { max: max ? formatBytes(max) : '?' });
    if (status === 415) return s.attachmentWrongType;
    if (status === 429) return s.attachmentQuota;
    return format(s.attachmentFailed, { message: error instanceof Error ? error.message : String(error) });
  }

  /** Ends an upload's life: cancels it, frees its preview, and with `remote` deletes what the server stored. */
  #discard(upload: Upload, remote = false): void {
    upload.controller.abort();
    if (upload.preview) URL.revokeObjectURL(upload.preview);
    upload.preview = undefined;
    if (remote && upload.attachment && this.host) {
      try {
        const { options, sessionId } = target(this.host);
        deleteAttachment({ options }, sessionId, upload.attachment.id).catch(() => {
          // Not sent, so never referenced: the server drops it with the session at the latest.
        });
      } catch {
        // The session closed: nothing to delete from here.
      }
    }
  }

  #changed(): void {
    this.requestUpdate();
    this.dispatchEvent(
      new AgentChatUploadsChangeEvent({ attachments: this.attachments, uploading: this.#uploads.filter((u) => !u.attachment && !u.error).length }),
    );
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.#uploads.length === 0) return nothing;
    const s = attachmentStrings(this.strings);
    return html`<ul class="att-chips" part="attachments" aria-label=${s.attachmentsLabel}>
      ${repeat(
        this.#uploads,
        (u) => u.key,
        (u) => {
          const state = u.error ? 'failed' : u.attachment ? 'done' : 'uploading';
          const extension = u.file.name.includes('.') ? u.file.name.split('.').pop()!.slice(0, 4) : 'file';
          return html`<li class="att-chip ${state}" part=${u.error ? 'attachment attachment-failed' : u.attachment ? 'attachment attachment-done' : 'attachment attachment-uploading'}
            data-state=${state}>
            ${u.preview
              ? html`<img
                  class="att-thumb"
                  part="attachment-thumbnail"
                  src=${u.preview}
                  alt=""
                  @error=${() => {
                    // Not an image the browser can draw (the server may say so too): the type badge instead.
                    URL.revokeObjectURL(u.preview!);
                    u.preview = undefined;
                    this.requestUpdate();
                  }}
                />`
              : html`<span class="att-icon" aria-hidden="true">${extension}</span>`}
            <span class="att-text">
              <span class="att-name" title=${u.file.name}>${u.file.name}</span>
              ${state === 'uploading'
                ? html`<progress
                    part="attachment-progress"
                    max=${u.total || u.file.size || 1}
                    value=${u.loaded || nothing}
                    aria-label=${format(s.uploading, { name: u.file.name })}
                  ></progress>`
                : u.error
                  ? html`<span class="att-error" part="attachment-error" role="alert">${u.error}</span>`
                  : html`<span class="att-meta">${formatBytes(u.attachment!.size)}</span>`}
            </span>
            <button
              type="button"
              class="att-remove"
              part="attachment-remove"
              aria-label=${format(s.removeAttachment, { name: u.file.name })}
              @click=${() => void this.#remove(u)}
            >
              ✕
            </button>
          </li>`;
        },
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-uploads': AgentChatUploads;
  }
}
