import { css } from 'lit';

export const approvalPanelStyles = css`
  :host {
    font-size: 0.92em;
  }
  .panel {
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    overflow: hidden;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 8px 6px 12px;
    background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
  }
  .title {
    flex: 1;
    font-weight: 650;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 40vh;
    overflow-y: auto;
  }
  .approval {
    border-top: 1px solid var(--_border);
  }
  .approval-body {
    padding: 8px 12px;
    display: grid;
    gap: 6px;
  }
  /* Focused by Escape from the feedback field. */
  .approval-body:focus-visible {
    outline-offset: -2px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: 8px;
    min-width: 0;
  }
  .name {
    font-family: var(--_mono);
    font-weight: 600;
  }
  .summary {
    flex: 1 1 12ch;
  }
  .reason {
    flex: none;
    max-width: 40%;
    color: var(--_muted);
    font-size: 0.9em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /* The feedback field takes what the buttons leave, so the buttons always share one row. */
  .controls {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    grid-auto-flow: column;
    grid-auto-columns: auto;
    gap: 6px;
    align-items: center;
  }
  .controls button {
    padding: 4px 12px;
  }
  input {
    min-width: 0;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 3px 10px;
  }
  input::placeholder {
    color: var(--_muted);
  }
  /* Narrow (a phone): the field on its own row, above three equal buttons. */
  @container (max-width: 26rem) {
    /* One call: its buttons say it all (the status bar says "Waiting for your approval"). */
    .header:not(:has(button)) {
      display: none;
    }
    .header:not(:has(button)) + .list > .approval:first-child {
      border-top: 0;
    }
    .list {
      max-height: 30vh;
    }
    .controls {
      grid-template-columns: repeat(3, minmax(0, 1fr));
      grid-auto-columns: minmax(0, 1fr);
    }
    .controls input {
      grid-column: 1 / -1;
      grid-row: 1;
    }
    .controls button {
      grid-row: 2;
      padding-inline: 6px;
    }
  }
  .decision {
    font-weight: 600;
    color: var(--_muted);
  }
`;
