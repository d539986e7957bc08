import { css } from 'lit';

export const codePanelStyles = css`
  :host {
    min-height: 0;
    font-size: 0.9em;
  }
  .panel {
    height: 100%;
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--_bg);
    border-inline-start: 1px solid var(--_border);
  }
  .header,
  .views {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--_border);
  }
  .views {
    padding: 6px 12px;
    flex-wrap: wrap;
  }
  /* In a narrow panel the name, the state and the "following" note give way (ellipsis) so that
     Pin and Close stay in view. */
  .name,
  .header .edited,
  .header .badge,
  .following {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .name {
    min-width: 4ch;
    font-family: var(--_mono);
    font-weight: 650;
  }
  /* The "following" note and "(edited)" give way; the name (up to 40% of the header) and the
     state only in a very narrow panel. */
  .name {
    flex-shrink: 0;
    max-width: 40%;
  }
  .header .badge {
    flex-shrink: 0;
  }
  @container (max-width: 24rem) {
    .following {
      display: none;
    }
    .name,
    .header .badge {
      flex-shrink: 1;
    }
    .header {
      gap: 4px;
      padding-inline: 10px 6px;
    }
    .header button {
      padding-inline: 6px;
    }
  }
  .spacer {
    flex: 1;
  }
  .following {
    font-size: 0.8em;
    color: var(--_muted);
    white-space: nowrap;
  }
  .tab {
    border-color: transparent;
    background: transparent;
    color: var(--_muted);
    padding: 3px 10px;
  }
  .tab[aria-pressed='true'] {
    background: var(--_surface);
    border-color: var(--_border);
    color: var(--_fg);
  }
  .body {
    flex: 1;
    min-height: 0;
    overflow: auto;
    padding: 12px;
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  pre,
  textarea {
    margin: 0;
    font-family: var(--_mono);
    font-size: 0.88em;
    line-height: 1.55;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_code-bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 10px 12px;
    color: inherit;
  }
  pre.error {
    color: var(--_danger);
  }
  .report {
    line-height: 1.55;
  }
  .report h1,
  .report h2,
  .report h3 {
    font-size: 1.05em;
  }
  textarea {
    width: 100%;
    min-height: 14rem;
    resize: vertical;
    tab-size: 2;
  }
  textarea[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .issues {
    margin: 0;
    padding: 8px 12px 8px 28px;
    color: var(--_danger);
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, transparent);
    border-radius: 8px;
    background: color-mix(in srgb, var(--_danger) 7%, transparent);
  }
  .edit-actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  .diff {
    margin: 0;
  }
  .diff figcaption {
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
    margin-bottom: 4px;
  }
  .diff pre {
    padding: 6px 0;
  }
  .line {
    display: block;
    padding: 0 12px;
  }
  .line.add {
    background: color-mix(in srgb, var(--_success) 14%, transparent);
  }
  .line.remove {
    background: color-mix(in srgb, var(--_danger) 14%, transparent);
  }
  .empty {
    padding: 16px;
    color: var(--_muted);
  }
`;
