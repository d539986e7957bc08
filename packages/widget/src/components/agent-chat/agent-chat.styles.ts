import { css } from 'lit';

/*
 * Public custom properties (`--agent-chat-*`) feed private ones (`--_*`), so
 * each public property is read in one place with its fallback, and the dark
 * palette only swaps fallbacks: a host's own value always wins.
 */
const light = css`
  --_bg: var(--agent-chat-background, #ffffff);
  --_fg: var(--agent-chat-foreground, #1f2328);
  --_muted: var(--agent-chat-muted, #6b6f76);
  --_border: var(--agent-chat-border, #e4e4e7);
  --_surface: var(--agent-chat-surface, #f7f7f8);
  --_user-bg: var(--agent-chat-user-background, #f0f0f3);
  --_user-fg: var(--agent-chat-user-foreground, #1f2328);
  --_accent: var(--agent-chat-accent, #d97757);
  --_accent-fg: var(--agent-chat-accent-foreground, #ffffff);
  --_danger: var(--agent-chat-danger, #c2413a);
  --_success: var(--agent-chat-success, #1f8a4c);
  --_warning: var(--agent-chat-warning, #b26b00);
  --_thinking-fg: var(--agent-chat-thinking-foreground, #5d5a52);
  --_code-bg: var(--agent-chat-code-background, #f4f4f5);
  --_focus: var(--agent-chat-focus-ring, #2563eb);
  --_shadow: var(--agent-chat-shadow, 0 1px 2px rgb(0 0 0 / 0.04), 0 4px 16px rgb(0 0 0 / 0.06));
  color-scheme: light;
`;

const dark = css`
  --_bg: var(--agent-chat-background, #1e1e1f);
  --_fg: var(--agent-chat-foreground, #ececec);
  --_muted: var(--agent-chat-muted, #9b9ba1);
  --_border: var(--agent-chat-border, #38383b);
  --_surface: var(--agent-chat-surface, #262628);
  --_user-bg: var(--agent-chat-user-background, #2f2f32);
  --_user-fg: var(--agent-chat-user-foreground, #ececec);
  --_accent: var(--agent-chat-accent, #e08a6b);
  --_accent-fg: var(--agent-chat-accent-foreground, #1e1e1f);
  --_danger: var(--agent-chat-danger, #f07a72);
  --_success: var(--agent-chat-success, #5cc98b);
  --_warning: var(--agent-chat-warning, #e5a84b);
  --_thinking-fg: var(--agent-chat-thinking-foreground, #b5b0a5);
  --_code-bg: var(--agent-chat-code-background, #2a2a2d);
  --_focus: var(--agent-chat-focus-ring, #60a5fa);
  --_shadow: var(--agent-chat-shadow, 0 1px 2px rgb(0 0 0 / 0.3), 0 4px 16px rgb(0 0 0 / 0.3));
  color-scheme: dark;
`;

export const agentChatStyles = css`
  :host {
    ${light}
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: var(--agent-chat-height, 100%);
    min-height: 0;
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(
      --agent-chat-font-family,
      ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif
    );
    font-size: var(--agent-chat-font-size, 15px);
    line-height: 1.6;
    --_mono: var(--agent-chat-font-family-mono, ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace);
    --_radius: var(--agent-chat-radius, 12px);
    --_max-width: var(--agent-chat-max-width, 48rem);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* Transcript */
  .transcript {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    scrollbar-gutter: stable;
    padding: 24px 16px 8px;
  }
  .column {
    max-width: var(--_max-width);
    margin: 0 auto;
    display: flex;
    flex-direction: column;
    gap: 20px;
  }
  .empty {
    margin: auto;
    padding: 15vh 0 0;
    text-align: center;
    color: var(--_muted);
    font-size: 1.25em;
  }
  .message {
    display: flex;
    flex-direction: column;
    gap: 10px;
    min-width: 0;
  }
  .message.user {
    align-items: flex-end;
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

  /* Markdown */
  .markdown {
    overflow-wrap: anywhere;
  }
  .markdown > :first-child,
  .markdown > :first-child > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown pre,
  .markdown table,
  .markdown blockquote {
    margin: 0 0 0.85em;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3,
  .markdown h4 {
    line-height: 1.3;
    margin: 1.2em 0 0.5em;
    font-weight: 650;
  }
  .markdown h1 {
    font-size: 1.45em;
  }
  .markdown h2 {
    font-size: 1.25em;
  }
  .markdown h3 {
    font-size: 1.1em;
  }
  .markdown ul,
  .markdown ol {
    padding-left: 1.5em;
  }
  .markdown li + li {
    margin-top: 0.25em;
  }
  .markdown a {
    color: var(--_accent);
    text-underline-offset: 2px;
  }
  .markdown code {
    font-family: var(--_mono);
    font-size: 0.88em;
    background: var(--_code-bg);
    border-radius: 5px;
    padding: 0.12em 0.35em;
  }
  .markdown pre {
    background: var(--_code-bg);
    border: 1px solid var(--_border);
    border-radius: 10px;
    padding: 12px 14px;
    overflow-x: auto;
    line-height: 1.5;
  }
  .markdown pre code {
    background: none;
    padding: 0;
    font-size: 0.86em;
  }
  .markdown blockquote {
    border-left: 3px solid var(--_border);
    padding-left: 12px;
    color: var(--_muted);
  }
  .markdown table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
  }
  .markdown th,
  .markdown td {
    border: 1px solid var(--_border);
    padding: 6px 10px;
  }
  .markdown hr {
    border: 0;
    border-top: 1px solid var(--_border);
  }
  .markdown img {
    max-width: 100%;
  }

  /* Thinking */
  .thinking {
    color: var(--_thinking-fg);
  }
  .thinking[open] .thinking-body {
    border-left: 2px solid var(--_border);
    padding-left: 12px;
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
  .thinking > summary::before,
  .tool-section > summary::before {
    content: '';
    width: 0.45em;
    height: 0.45em;
    border-right: 1.5px solid currentColor;
    border-bottom: 1.5px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s ease;
  }
  .thinking[open] > summary::before,
  .tool-section[open] > summary::before {
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

  /* Tool calls */
  .tool {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    font-size: 0.9em;
    overflow: hidden;
  }
  .tool.awaiting_approval {
    border-color: var(--_accent);
    box-shadow: var(--_shadow);
  }
  .tool-header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    min-width: 0;
    cursor: pointer;
    list-style: none;
    user-select: none;
  }
  .tool-header::-webkit-details-marker {
    display: none;
  }
  .tool-header:hover {
    background: var(--_surface);
  }
  .chevron {
    flex: none;
    width: 0.45em;
    height: 0.45em;
    margin: 0 2px 0 4px;
    border-right: 1.5px solid var(--_muted);
    border-bottom: 1.5px solid var(--_muted);
    transform: rotate(-45deg);
    transition: transform 0.15s ease;
  }
  .tool-details[open] > summary .chevron {
    transform: rotate(45deg);
  }
  .tool-icon {
    flex: none;
    width: 16px;
    height: 16px;
    display: grid;
    place-items: center;
    color: var(--_muted);
  }
  .tool.done .tool-icon {
    color: var(--_success);
  }
  .tool.error .tool-icon,
  .tool.rejected .tool-icon {
    color: var(--_danger);
  }
  .tool.awaiting_approval .tool-icon {
    color: var(--_accent);
  }
  .tool-name {
    font-family: var(--_mono);
    font-weight: 600;
    font-size: 0.95em;
  }
  .tool-summary {
    flex: 1 1 auto;
    min-width: 0;
    color: var(--_muted);
    font-family: var(--_mono);
    font-size: 0.9em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .badge {
    flex: none;
    margin-left: auto;
    font-size: 0.78em;
    font-weight: 600;
    letter-spacing: 0.01em;
    padding: 2px 8px;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    border: 1px solid var(--_border);
  }
  .badge.done,
  .badge.approved {
    color: var(--_success);
  }
  .badge.error,
  .badge.rejected {
    color: var(--_danger);
  }
  .badge.awaiting_approval {
    color: var(--_accent);
    border-color: var(--_accent);
  }
  .badge.interrupted {
    color: var(--_warning);
  }
  .spinner {
    width: 12px;
    height: 12px;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  .tool-section {
    border-top: 1px solid var(--_border);
  }
  .tool-section > summary {
    cursor: pointer;
    list-style: none;
    padding: 6px 12px;
    font-size: 0.85em;
    color: var(--_muted);
    display: flex;
    align-items: center;
    gap: 8px;
    user-select: none;
  }
  .tool-section > summary::-webkit-details-marker {
    display: none;
  }
  .tool-section pre {
    margin: 0;
    padding: 8px 12px 12px;
    max-height: 18rem;
    overflow: auto;
    font-family: var(--_mono);
    font-size: 0.85em;
    line-height: 1.5;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_surface);
  }
  .tool-section pre.error {
    color: var(--_danger);
  }
  .feedback-note {
    border-top: 1px solid var(--_border);
    padding: 6px 12px;
    color: var(--_muted);
  }
  .agents {
    list-style: none;
    margin: 0;
    padding: 6px 12px 8px;
    border-top: 1px solid var(--_border);
    display: grid;
    gap: 4px;
    color: var(--_muted);
  }

  /* Approvals */
  .approval {
    border-top: 1px solid var(--_border);
    padding: 10px 12px 12px;
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    background: var(--_surface);
  }
  .approval-reason {
    flex-basis: 100%;
    color: var(--_muted);
  }
  .approval input {
    flex: 1 1 12rem;
    min-width: 0;
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 6px 10px;
  }
  .decision {
    font-weight: 600;
    color: var(--_muted);
  }
  .approval-bar {
    max-width: var(--_max-width);
    width: calc(100% - 32px);
    margin: 0 auto 8px;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font-size: 0.9em;
  }
  .approval-bar span {
    flex: 1;
  }
  button {
    font: inherit;
    font-size: 0.9em;
    font-weight: 600;
    cursor: pointer;
    border-radius: 8px;
    padding: 6px 14px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
    transition: background 0.12s ease, opacity 0.12s ease;
  }
  button:hover:not(:disabled) {
    background: var(--_surface);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.primary:hover:not(:disabled) {
    background: var(--_accent);
    opacity: 0.9;
  }
  button.danger {
    color: var(--_danger);
  }

  /* Status lines */
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
  .usage {
    color: var(--_muted);
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
  }

  /* Composer */
  .composer-wrap {
    flex: none;
    padding: 8px 16px 16px;
  }
  .composer {
    max-width: var(--_max-width);
    margin: 0 auto;
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 8px 8px 8px 16px;
    border: 1px solid var(--_border);
    border-radius: 24px;
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  .composer:focus-within {
    border-color: color-mix(in srgb, var(--_fg) 30%, var(--_border));
  }
  textarea,
  textarea:focus-visible {
    outline: none;
  }
  textarea {
    flex: 1;
    min-width: 0;
    resize: none;
    border: 0;
    outline: none;
    background: transparent;
    color: inherit;
    font: inherit;
    line-height: 1.5;
    padding: 6px 0;
    max-height: 12rem;
    field-sizing: content;
    min-height: 1.5em;
  }
  textarea::placeholder {
    color: var(--_muted);
  }
  .composer button {
    flex: none;
    border-radius: 999px;
    padding: 7px 16px;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
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
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before {
      animation: none !important;
      transition: none !important;
    }
  }
`;
