import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { Attachment } from '@agent-chat/core';
import { attachmentUrl, getAttachment } from '@agent-chat/core/attachments';
import type { AttachmentHost } from '../../client.js';
import { format, type AgentChatStrings } from '../../strings.js';
import { formatBytes } from '../../util/format-bytes.js';
import { attachmentStrings, isImage, target } from './attachment-context.js';
import { adoptStyles } from './attachments.styles.js';

/**
 * The files of a sent message: a thumbnail per image, which opens the image
 * in a lightbox (a modal `<dialog>`: Enter or a click opens it, Escape or
 * Close closes it, focus stays inside while open and returns to the
 * thumbnail), and a chip per other file, a link that downloads it. The bytes
 * come through the client with its credentials and headers (a bearer token
 * works), as object URLs revoked when the element goes. Rendered by
 * `<agent-chat-messages>` under a user message with attachments.
 *
 * It has no shadow root: its parts belong to the tree around it, like the
 * message's own parts.
 *
 * @tagname agent-chat-attachments
 * @summary A sent message's files: thumbnails, lightbox, download links.
 *
 * @csspart message-attachments - The list of a message's files.
 * @csspart attachment-image - The button showing an image's thumbnail; opens the lightbox.
 * @csspart attachment-file - A file's chip, a download link.
 * @csspart lightbox - The `<dialog>` showing an image.
 * @csspart lightbox-image - The image in it.
 * @csspart lightbox-close - Its Close button.
 *
 * @cssproperty [--agent-chat-attachment-image-height=7.5rem] - Height of a sent image's thumbnail.
 * @cssproperty [--agent-chat-thumbnail-size=2.5rem] - Side of a sent file's type badge.
 */
export class AgentChatAttachments extends LitElement {
  static override properties = {
    attachments: { attribute: false },
    host: { attribute: false },
    strings: { attribute: false },
  };

  /** The message's files. */
  declare attachments: readonly Attachment[];
  /** Where the bytes come from: the client and the session. */
  declare host: AttachmentHost | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;

  /** Object URLs of loaded images, by attachment id; `null` when loading failed. */
  #urls = new Map<string, string | null>();
  #loads = new AbortController();
  /** The image in the lightbox, and the thumbnail that opened it (focus goes back there). */
  #open: { attachment: Attachment; opener: HTMLElement } | undefined;

  constructor() {
    super();
    this.attachments = [];
    this.host = undefined;
    this.strings = {};
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this);
    if (this.#loads.signal.aborted) this.#loads = new AbortController();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#loads.abort();
    for (const url of this.#urls.values()) if (url) URL.revokeObjectURL(url);
    this.#urls.clear();
  }

  protected override updated(): void {
    for (const attachment of this.attachments) {
      if (isImage(attachment.mediaType) && !this.#urls.has(attachment.id)) void this.#load(attachment);
    }
  }

  async #load(attachment: Attachment): Promise<void> {
    if (!this.host?.session.sessionId) return;
    this.#urls.set(attachment.id, null);
    try {
      const { options, sessionId, signal } = target(this.host, this.#loads.signal);
      const blob = await getAttachment({ options }, sessionId, attachment.id, { signal });
      if (signal.aborted) return;
      this.#urls.set(attachment.id, URL.createObjectURL(blob));
    } catch {
      // Shown as "could not be loaded" in place of the thumbnail.
    }
    this.requestUpdate();
  }

  /** Downloads a file through the client (its headers and credentials), as the link would without them. */
  async #download(event: MouseEvent, attachment: Attachment): Promise<void> {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    try {
      const { options, sessionId, signal } = target(this.host, this.#loads.signal);
      const url = URL.createObjectURL(await getAttachment({ options }, sessionId, attachment.id, { signal }));
      const link = Object.assign(document.createElement('a'), { href: url, download: attachment.name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      // The link's own URL, for a server that reads cookies.
      window.open((event.currentTarget as HTMLAnchorElement).href, '_blank', 'noopener');
    }
  }

  async #openImage(attachment: Attachment, opener: HTMLElement): Promise<void> {
    this.#open = { attachment, opener };
    this.requestUpdate();
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
  }

  #onClose(): void {
    const opener = this.#open?.opener;
    this.#open = undefined;
    this.requestUpdate();
    opener?.focus();
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.attachments.length) return nothing;
    const s = attachmentStrings(this.strings);
    const open = this.#open?.attachment;
    const sessionId = this.host?.session.sessionId;
    const options = this.host?.client.options;
    return html`<ul class="att-chips" part="message-attachments" aria-label=${s.sentAttachmentsLabel}>
        ${this.attachments.map((a) => {
          if (isImage(a.mediaType)) {
            const url = this.#urls.get(a.id);
            return html`<li>
              <button
                type="button"
                class="att-open"
                part="attachment-image"
                aria-label=${format(s.openImage, { name: a.name })}
                ?disabled=${!url}
                @click=${(e: MouseEvent) => void this.#openImage(a, e.currentTarget as HTMLElement)}
              >
                ${url
                  ? html`<img src=${url} alt="" width=${a.width ?? nothing} height=${a.height ?? nothing} />`
                  : html`<span class="att-placeholder">${url === null ? format(s.imageUnavailable, { name: a.name }) : a.name}</span>`}
              </button>
            </li>`;
          }
          const extension = a.name.includes('.') ? a.name.split('.').pop()!.slice(0, 4) : 'file';
          return html`<li>
            <a
              class="att-chip"
              part="attachment-file"
              href=${options && sessionId ? attachmentUrl({ options }, sessionId, a.id) : '#'}
              download=${a.name}
              @click=${(e: MouseEvent) => void this.#download(e, a)}
            >
              <span class="visually-hidden">${s.downloadAttachment}</span>
              <span class="att-icon" aria-hidden="true">${extension}</span>
              <span class="att-text">
                <span class="att-name">${a.name}</span>
                <span class="att-meta">${formatBytes(a.size)}</span>
              </span>
            </a>
          </li>`;
        })}
      </ul>
      ${open
        ? html`<dialog part="lightbox" aria-label=${open.name} @close=${this.#onClose}>
            <figure>
              <img part="lightbox-image" src=${this.#urls.get(open.id) ?? ''} alt=${open.name} />
              <figcaption>
                <span>${open.name}</span>
                <button type="button" part="lightbox-close" autofocus @click=${() => this.querySelector('dialog')?.close()}>${s.closeImage}</button>
              </figcaption>
            </figure>
          </dialog>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-attachments': AgentChatAttachments;
  }
}
