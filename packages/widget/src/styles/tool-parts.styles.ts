import { css } from 'lit';

/**
 * What the tool-call cards, the code panel and the approval panel share: a
 * block host that is a size container, the one-line hint of a call's input,
 * the "(edited)" mark and the state colours of `.badge`. Loaded with the tool
 * parts, not at once.
 */
export const toolPartStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .summary,
  .tool-summary {
    min-width: 0;
    color: var(--_muted);
    font-family: var(--_mono);
    font-size: 0.9em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .edited {
    color: var(--_accent);
    font-weight: 600;
    font-size: 0.85em;
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
`;
