import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * The transcript's styles. `host` is the selector of the element itself:
 * `:host` in its own shadow root, or its tag where it renders into the shadow
 * tree of the element that composes it (see `light-dom` on `<agent-chat-messages>`).
 */
export const messageListStyles = (host: string): CSSResult => css`
  ${unsafeCSS(host)} {
    display: flex;
    flex-direction: column;
    position: relative;
    min-height: 0;
  }
  .transcript {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* Both edges: the message column stays centred like the dock under it (see <agent-chat>). */
    scrollbar-gutter: stable both-edges;
    /* Stickiness is managed here; the browser's scroll anchoring would fight it. */
    overflow-anchor: none;
    padding: 24px 16px 16px;
  }
  /* A modest ring for the whole log: inset, rounded, inside the padding. */
  .transcript:focus-visible {
    outline-offset: -6px;
    border-radius: calc(var(--_radius) + 4px);
  }
  /* Block layout, not flex: appending to the streaming message then lays out
     only what changed, where a flex column would re-measure the whole message. */
  .column {
    max-width: var(--_max-width);
    margin: 0 auto;
  }
  .column > * + * {
    margin-top: 20px;
  }
  .empty {
    margin: auto;
    padding: 15vh 0 0;
    text-align: center;
    color: var(--_muted);
    font-size: 1.25em;
  }
  .message {
    display: block;
    min-width: 0;
  }
  .message > * + * {
    margin-top: 10px;
  }
  /* Off-screen older messages skip layout and paint: a long history stays cheap. */
  .message.settled {
    content-visibility: auto;
    contain-intrinsic-size: auto 120px;
  }
  .message.user {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: flex-end;
  }
  /* Shown on hover or focus only, a user message's actions float in the gap under its bubble
     instead of holding an empty row there. */
  .message.user > .actions {
    position: absolute;
    top: 100%;
    inset-inline-end: 0;
    z-index: 1;
    padding-top: 1px;
    font-size: 0.8em;
  }
  .message.user > .actions button {
    padding: 2px 8px;
  }
  /* Its paint containment would clip the floating actions; a user message is cheap to lay out. */
  .message.user.settled {
    content-visibility: visible;
  }
  .bubble {
    max-width: min(85%, 36rem);
    padding: 10px 16px;
    border-radius: 18px;
    background: var(--_user-bg);
    color: var(--_user-fg);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    gap: 2px;
    font-size: 0.85em;
    opacity: 0;
    transition: opacity 0.12s ease;
  }
  .message:hover .actions,
  .message.latest .actions,
  .actions:focus-within {
    opacity: 1;
  }
  .message.assistant .actions {
    margin-top: 2px;
    margin-inline-start: -8px;
  }
  .edit {
    width: min(85%, 36rem);
    display: grid;
    gap: 6px;
  }
  .edit textarea {
    background: var(--_bg);
    border: 1px solid var(--_accent);
    border-radius: 14px;
    padding: 10px 14px;
    min-height: 4.5em;
    resize: vertical;
  }
  .edit-actions {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
  }
  .show-earlier {
    display: block;
    margin-inline: auto;
  }
  .thinking {
    color: var(--_thinking-fg);
  }
  .thinking[open] .thinking-body {
    border-inline-start: 2px solid var(--_border);
    padding-inline-start: 12px;
  }
  .thinking > summary {
    cursor: pointer;
    list-style: none;
    font-size: 0.88em;
    color: var(--_muted);
    display: inline-flex;
    align-items: center;
    gap: 6px;
    user-select: none;
  }
  .thinking > summary::-webkit-details-marker {
    display: none;
  }
  .thinking > summary::before {
    content: '';
    width: 0.45em;
    height: 0.45em;
    border-right: 1.5px solid currentColor;
    border-bottom: 1.5px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s ease;
  }
  .thinking[open] > summary::before {
    transform: rotate(45deg);
  }
  .thinking.streaming > summary {
    animation: pulse 1.6s ease-in-out infinite;
  }
  .thinking-body {
    margin-top: 6px;
    font-size: 0.9em;
    font-style: italic;
    white-space: pre-wrap;
  }
  /* An answer stopped before it finished: the mark that ends it, and its thinking if cut there. */
  .thinking.stopped > summary,
  .stopped {
    color: var(--_warning);
  }
  .stopped {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 0.85em;
    font-weight: 600;
  }
  .stopped-icon {
    width: 0.7em;
    height: 0.7em;
    border-radius: 2px;
    background: currentColor;
  }
  .typing {
    display: flex;
    gap: 4px;
    padding: 4px 0;
  }
  .typing span {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: bounce 1.2s ease-in-out infinite;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }
  .error {
    color: var(--_danger);
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, transparent);
    background: color-mix(in srgb, var(--_danger) 7%, transparent);
    border-radius: 10px;
    padding: 8px 12px;
    font-size: 0.92em;
  }
  .jump {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    border-radius: 999px;
    box-shadow: var(--_shadow);
    font-size: 0.82em;
    padding: 5px 14px;
  }
  @keyframes bounce {
    0%,
    80%,
    100% {
      transform: translateY(0);
      opacity: 0.4;
    }
    40% {
      transform: translateY(-4px);
      opacity: 1;
    }
  }
`;
