import { css } from 'lit';

/*
 * Public custom properties (`--agent-chat-*`) feed private ones (`--_*`), so
 * each public property is read in one place with its fallback, and the dark
 * palette only swaps fallbacks: a host's own value always wins.
 *
 * Every element defines the tokens itself so it works alone. Inside
 * `<agent-chat>` the parts get `theme="inherit"`: they define nothing and
 * inherit the tokens of the element that composed them (custom properties
 * cross shadow boundaries), so one theme attribute styles the whole tree.
 */
const light = css`
  --_bg: var(--agent-chat-background, #ffffff);
  --_fg: var(--agent-chat-foreground, #1f2328);
  --_muted: var(--agent-chat-muted, #63666d);
  --_border: var(--agent-chat-border, #e4e4e7);
  --_surface: var(--agent-chat-surface, #f7f7f8);
  --_user-bg: var(--agent-chat-user-background, #f0f0f3);
  --_user-fg: var(--agent-chat-user-foreground, #1f2328);
  --_accent: var(--agent-chat-accent, #b8532f);
  --_accent-fg: var(--agent-chat-accent-foreground, #ffffff);
  --_danger: var(--agent-chat-danger, #b83a33);
  --_success: var(--agent-chat-success, #1b7a44);
  --_warning: var(--agent-chat-warning, #95580a);
  --_thinking-fg: var(--agent-chat-thinking-foreground, #5d5a52);
  --_code-bg: var(--agent-chat-code-background, #f4f4f5);
  --_focus: var(--agent-chat-focus-ring, #2563eb);
  --_shadow: var(--agent-chat-shadow, 0 1px 2px rgb(0 0 0 / 0.04), 0 4px 16px rgb(0 0 0 / 0.06));
  --_hl-keyword: #a626a4;
  --_hl-string: #1a7335;
  --_hl-number: #8a5d00;
  --_hl-comment: #5c636e;
  --_hl-title: #0550ae;
  --_hl-attr: #9a3e00;
  color-scheme: light;
`;

const dark = css`
  --_bg: var(--agent-chat-background, #1e1e1f);
  --_fg: var(--agent-chat-foreground, #ececec);
  --_muted: var(--agent-chat-muted, #a3a3a9);
  --_border: var(--agent-chat-border, #3a3a3e);
  --_surface: var(--agent-chat-surface, #262628);
  --_user-bg: var(--agent-chat-user-background, #2f2f32);
  --_user-fg: var(--agent-chat-user-foreground, #ececec);
  --_accent: var(--agent-chat-accent, #e8916f);
  --_accent-fg: var(--agent-chat-accent-foreground, #1e1e1f);
  --_danger: var(--agent-chat-danger, #f3867e);
  --_success: var(--agent-chat-success, #5cc98b);
  --_warning: var(--agent-chat-warning, #e5a84b);
  --_thinking-fg: var(--agent-chat-thinking-foreground, #b5b0a5);
  --_code-bg: var(--agent-chat-code-background, #2a2a2d);
  --_focus: var(--agent-chat-focus-ring, #60a5fa);
  --_shadow: var(--agent-chat-shadow, 0 1px 2px rgb(0 0 0 / 0.3), 0 4px 16px rgb(0 0 0 / 0.3));
  --_hl-keyword: #d19ae6;
  --_hl-string: #98c379;
  --_hl-number: #e0b16b;
  --_hl-comment: #8b919c;
  --_hl-title: #7fb2ff;
  --_hl-attr: #f0a36b;
  color-scheme: dark;
`;

const shared = css`
  --_mono: var(--agent-chat-font-family-mono, ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace);
  --_radius: var(--agent-chat-radius, 12px);
  --_max-width: var(--agent-chat-max-width, 48rem);
  font-family: var(
    --agent-chat-font-family,
    ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif
  );
  font-size: var(--agent-chat-font-size, 15px);
  line-height: 1.6;
  color: var(--_fg);
`;

/** Tokens, light and dark, plus the base every part shares (buttons, fields, focus ring, hidden text). */
export const themeStyles = css`
  :host(:not([theme='inherit'])) {
    ${light}
    ${shared}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light']):not([theme='inherit'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none !important;
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
  input,
  textarea {
    font: inherit;
    color: inherit;
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
  button.ghost {
    border-color: transparent;
    background: transparent;
    color: var(--_muted);
    padding: 4px 8px;
    font-weight: 500;
  }
  button.ghost:hover:not(:disabled) {
    color: var(--_fg);
    background: var(--_surface);
  }
  .badge {
    flex: none;
    font-size: 0.78em;
    font-weight: 600;
    letter-spacing: 0.01em;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    border: 1px solid var(--_border);
    white-space: nowrap;
  }
  .spinner {
    display: inline-block;
    width: 12px;
    height: 12px;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
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
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before {
      animation: none !important;
      transition: none !important;
    }
  }
`;
