import { css, unsafeCSS, type CSSResult } from 'lit';

/** The composer's styles; `host` is `:host`, or the tag in the `light-dom` mode (see `<agent-chat-messages>`). */
export const composerStyles = (host: string): CSSResult => css`
  ${unsafeCSS(host)} {
    display: block;
    container-type: inline-size;
  }
  .composer {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 10px 10px 8px 16px;
    border: 1px solid var(--_border);
    border-radius: 20px;
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  .composer:focus-within {
    border-color: color-mix(in srgb, var(--_fg) 30%, var(--_border));
  }
  .composer.dragging {
    border-style: dashed;
    border-color: var(--_accent);
  }
  textarea,
  textarea:focus-visible {
    outline: none;
  }
  textarea {
    resize: none;
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    line-height: 1.5;
    padding: 2px 0;
    max-height: 12rem;
    field-sizing: content;
    min-height: 1.5em;
  }
  textarea::placeholder {
    color: var(--_muted);
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .spacer {
    flex: 1;
  }
  .toolbar button {
    border-radius: 999px;
    padding: 6px 16px;
  }
  .stop {
    display: inline-flex;
    align-items: center;
    gap: 8px;
  }
  .stop-icon {
    width: 10px;
    height: 10px;
    border-radius: 2px;
    background: currentColor;
  }
  select {
    font: inherit;
    font-size: 0.82em;
    color: var(--_muted);
    background: transparent;
    border: 1px solid transparent;
    border-radius: 8px;
    padding: 3px 4px;
    max-width: 14rem;
  }
  select:hover:not(:disabled) {
    border-color: var(--_border);
    color: var(--_fg);
  }
  .attach {
    display: inline-grid;
    place-items: center;
    width: 30px;
    height: 30px;
    border-radius: 50%;
    color: var(--_muted);
    cursor: pointer;
  }
  .attach:hover,
  .attach:focus-within {
    background: var(--_surface);
    color: var(--_fg);
  }
  .attach:focus-within {
    outline: 2px solid var(--_focus);
  }
  /* Narrow (a phone): the buttons beside the text, so the composer is one row high. */
  @container (max-width: 32rem) {
    .composer {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: flex-end;
      column-gap: 8px;
      padding: 6px 6px 6px 14px;
    }
    textarea {
      flex: 1 1 6rem;
      align-self: center;
    }
    .toolbar {
      flex: 0 1 auto;
    }
  }
`;
