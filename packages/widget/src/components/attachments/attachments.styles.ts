import { css } from 'lit';

/*
 * The attachment parts render into the tree around them (no shadow root of
 * their own), so their `part`s belong to that tree (`agent-chat::part(attachment)`)
 * and they take its theme tokens and button styles. Their own rules come with
 * them, adopted by that tree once (see adoptStyles), and name the tags so they
 * reach nothing else.
 */
export const attachmentStyles = css`
  agent-chat-uploads {
    display: contents;
  }
  agent-chat-attachments {
    display: block;
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-chips {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    flex-basis: 100%;
  }
  agent-chat-attachments .att-chips {
    justify-content: flex-end;
    margin-top: 4px;
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-chip {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 8px;
    max-width: 16rem;
    min-height: 2.5rem;
    padding: 4px 4px 4px 4px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    font-size: 0.85em;
    line-height: 1.3;
    background: var(--_surface);
    color: var(--_fg);
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-chip.failed {
    border-color: var(--_danger);
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-thumb,
  :is(agent-chat-uploads, agent-chat-attachments) .att-icon {
    flex: none;
    width: var(--agent-chat-thumbnail-size, 2.5rem);
    height: var(--agent-chat-thumbnail-size, 2.5rem);
    border-radius: 6px;
    object-fit: cover;
    background: var(--_bg);
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-icon {
    display: grid;
    place-items: center;
    color: var(--_muted);
    font-size: 0.7em;
    font-weight: 700;
    text-transform: uppercase;
    border: 1px solid var(--_border);
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
    flex: 1;
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  :is(agent-chat-uploads, agent-chat-attachments) .att-meta {
    color: var(--_muted);
    font-size: 0.9em;
  }
  agent-chat-uploads .att-error {
    color: var(--_danger);
    font-size: 0.9em;
    white-space: normal;
  }
  agent-chat-uploads progress {
    width: 100%;
    height: 4px;
    margin-top: 3px;
    accent-color: var(--_accent);
  }
  agent-chat-uploads .att-remove {
    flex: none;
    align-self: flex-start;
    width: 24px;
    height: 24px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_muted);
    font-size: 0.8em;
    line-height: 1;
  }
  agent-chat-uploads .att-remove:hover {
    color: var(--_fg);
  }
  agent-chat-attachments .att-open {
    display: block;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: 10px;
    overflow: hidden;
    background: var(--_surface);
    line-height: 0;
  }
  agent-chat-attachments .att-open img,
  agent-chat-attachments .att-open .att-placeholder {
    display: block;
    width: auto;
    height: var(--agent-chat-attachment-image-height, 7.5rem);
    max-width: 14rem;
    object-fit: cover;
  }
  agent-chat-attachments .att-open .att-placeholder {
    width: 7.5rem;
    display: grid;
    place-items: center;
    padding: 8px;
    line-height: 1.3;
    color: var(--_muted);
    font-size: 0.8em;
    font-weight: 400;
    white-space: normal;
  }
  agent-chat-attachments a.att-chip {
    text-decoration: none;
    padding-right: 12px;
  }
  agent-chat-attachments a.att-chip:hover {
    border-color: var(--_accent);
  }
  agent-chat-attachments dialog {
    max-width: min(92vw, 64rem);
    max-height: 92vh;
    padding: 0;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: var(--_shadow);
  }
  agent-chat-attachments dialog::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  agent-chat-attachments dialog figure {
    margin: 0;
    display: flex;
    flex-direction: column;
  }
  agent-chat-attachments dialog img {
    display: block;
    max-width: 100%;
    max-height: calc(92vh - 3.5rem);
    object-fit: contain;
    margin: auto;
  }
  agent-chat-attachments dialog figcaption {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 8px 8px 8px 16px;
    font-size: 0.9em;
  }
  agent-chat-attachments dialog figcaption span {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;

const adopted = new WeakSet<Document | ShadowRoot>();

/** Adds the attachment styles to the tree `element` is in (a shadow root, or the document), once per tree. */
export function adoptStyles(element: Element): void {
  const root = element.getRootNode() as Document | ShadowRoot;
  const sheet = attachmentStyles.styleSheet;
  if (!sheet || adopted.has(root) || !('adoptedStyleSheets' in root)) return;
  adopted.add(root);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
