import { css } from 'lit';

export const toolCallGroupStyles = css`
  :host {
    font-size: 0.9em;
  }
  .group {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .tool {
    position: relative;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    overflow: hidden;
  }
  .tool.selected {
    border-color: color-mix(in srgb, var(--_focus) 60%, var(--_border));
  }
  .tool.awaiting_approval {
    border-color: var(--_accent);
    box-shadow: var(--_shadow);
  }
  .tool-header {
    display: flex;
    align-items: center;
    column-gap: 8px;
    row-gap: 2px;
    padding-block: 7px;
    /* Room for the open-in-panel button at the end, on the right or (right-to-left) the left. */
    padding-inline: 12px 44px;
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
  details[open] > summary .chevron {
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
  }
  /* Narrow (a phone, a side column): the input hint gets a line of its own under the name and
     state, rather than the few letters they leave beside them. */
  @container (max-width: 30rem) {
    .tool-header {
      flex-wrap: wrap;
    }
    .tool-summary {
      order: 1;
      flex-basis: 100%;
      padding-inline-start: 24px;
    }
    .tool-summary:empty {
      display: none;
    }
    .tool-name {
      margin-inline-end: auto;
    }
  }
  .edited {
    font-size: 0.8em;
  }
  .open-panel {
    position: absolute;
    top: 4px;
    inset-inline-end: 6px;
    padding: 4px 6px;
    line-height: 0;
  }
  .section {
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  .section-label {
    padding: 6px 12px 0;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  pre {
    margin: 0;
    padding: 4px 12px 10px;
    max-height: 24rem;
    overflow: auto;
    font-family: var(--_mono);
    font-size: 0.85em;
    line-height: 1.5;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  pre.error {
    color: var(--_danger);
  }
  /* A research report: markdown in the card, as long as the output it stands for. */
  .report {
    padding: 4px 12px 10px;
    max-height: 24rem;
    overflow: auto;
    line-height: 1.5;
  }
  .report h1,
  .report h2,
  .report h3 {
    font-size: 1.05em;
  }
  .show-more {
    margin: 0 8px 8px;
    font-size: 0.8em;
  }
  .feedback-note {
    border-top: 1px solid var(--_border);
    padding: 6px 12px;
    color: var(--_muted);
  }
  .research {
    border-top: 1px solid var(--_border);
    padding: 8px 10px;
    background: var(--_surface);
  }
`;
