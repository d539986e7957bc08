import { css } from 'lit';

export const statusBarStyles = css`
  :host {
    display: block;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 32px;
    padding: 4px 16px;
    font-size: 0.8em;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .activity {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .label {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .dot {
    flex: none;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_border);
  }
  .activity:not(.idle) .dot {
    background: var(--_accent);
    animation: pulse 1.4s ease-in-out infinite;
  }
  .activity:not(.idle) {
    color: var(--_fg);
  }
  .activity.approval .dot {
    animation: none;
  }
  .activity.offline .dot {
    background: var(--_danger);
    animation: none;
  }
  .usage {
    margin-inline-start: auto;
    display: inline-flex;
    gap: 12px;
    white-space: nowrap;
  }
  @media (max-width: 480px) {
    [part='turn-usage'] {
      display: none;
    }
  }
`;
