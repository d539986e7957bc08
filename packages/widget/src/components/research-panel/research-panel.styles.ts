import { css } from 'lit';

export const researchPanelStyles = css`
  :host {
    display: block;
    font-size: 0.92em;
  }
  .research {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    /* minmax(0, 1fr), not auto: a long step (nowrap) must not widen the column past the card. */
    grid-template-columns: minmax(0, 1fr);
    gap: 8px;
  }
  .agent {
    border: 1px solid var(--_border);
    border-radius: 10px;
    padding: 8px 10px;
    background: var(--_bg);
  }
  .agent.running {
    border-color: color-mix(in srgb, var(--_accent) 45%, var(--_border));
  }
  .agent-header {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .indicator {
    width: 14px;
    display: grid;
    place-items: center;
    color: var(--_success);
  }
  .agent.error .indicator {
    color: var(--_danger);
  }
  .label {
    flex: 1;
    min-width: 0;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .badge.done {
    color: var(--_success);
  }
  .badge.error {
    color: var(--_danger);
  }
  .agent-stats {
    display: flex;
    gap: 12px;
    margin: 2px 0 0 22px;
    color: var(--_muted);
    font-size: 0.88em;
    font-variant-numeric: tabular-nums;
  }
  .agent-steps {
    margin: 4px 0 0 22px;
    padding: 0;
    list-style: none;
    color: var(--_muted);
    font-family: var(--_mono);
    font-size: 0.82em;
  }
  .agent-steps li {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .agent-steps li::before {
    content: '› ';
  }
  .agent-steps .current {
    color: var(--_fg);
  }
`;
