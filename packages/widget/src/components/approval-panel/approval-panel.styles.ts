import { css } from 'lit';

export const approvalPanelStyles = css`
  :host {
    display: block;
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
    align-items: baseline;
    gap: 8px;
    min-width: 0;
  }
  .name {
    font-family: var(--_mono);
    font-weight: 600;
  }
  .edited {
    color: var(--_accent);
    font-weight: 600;
    font-size: 0.85em;
  }
  .summary {
    flex: 1;
    min-width: 0;
    color: var(--_muted);
    font-family: var(--_mono);
    font-size: 0.9em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
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
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .controls button {
    padding: 4px 12px;
  }
  input {
    flex: 1 1 12rem;
    min-width: 0;
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 3px 10px;
  }
  input::placeholder {
    color: var(--_muted);
  }
  .decision {
    font-weight: 600;
    color: var(--_muted);
  }
`;
