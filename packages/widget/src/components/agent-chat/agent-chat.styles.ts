import { css } from 'lit';

export const agentChatStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    position: relative;
    height: var(--agent-chat-height, 100%);
    min-height: 0;
    background: var(--_bg);
    color: var(--_fg);
  }
  /* Hidden until focused: the first Tab stop, jumping over the transcript to the composer. */
  .skip-link {
    position: absolute;
    inset-block-start: 6px;
    inset-inline-start: 6px;
    z-index: 20;
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  .skip-link:not(:focus) {
    width: 1px;
    height: 1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .connect-failed {
    margin: 0;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 10px;
    color: var(--_muted);
  }
  /* The text wraps on a phone; "Try again" stays one word-pair on one line. */
  .connect-failed {
    flex-wrap: wrap;
  }
  .connect-failed button {
    flex: none;
    white-space: nowrap;
  }
  agent-chat-status {
    flex: none;
    border-bottom: 1px solid var(--_border);
  }
  .main {
    flex: 1 1 auto;
    min-height: 0;
    display: flex;
    /* Its width comes from the host, never from its content: without this, a long code line or
       tool summary raises the element's min-content width, and in a page's grid or flex layout
       (an auto track, min-width: auto) the element then grows past its column, pushing the
       code panel off screen. */
    contain: inline-size;
  }
  /* The transcript with the approval bar and the composer under it: one column, so that with the
     code panel open all three move together and the panel takes the full height beside them. */
  .conversation {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  agent-chat-messages {
    flex: 1 1 auto;
    min-width: 0;
  }
  .code-panel {
    flex: 0 0 var(--agent-chat-panel-width, 40%);
    min-width: 18rem;
    max-width: 60%;
  }
  /* Same horizontal geometry as the transcript (padding and scrollbar gutters on both edges), so
     the approval bar and the composer line up with the message column whatever the scrollbar. */
  .dock {
    flex: none;
    max-height: 60%;
    overflow-y: auto;
    scrollbar-gutter: stable both-edges;
    padding: 8px 16px 16px;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .dock > * {
    flex: none;
    width: 100%;
    max-width: var(--_max-width);
    margin-inline: auto;
  }
  @media (max-width: 640px) {
    .code-panel {
      position: absolute;
      inset: auto 0 0 0;
      height: 75%;
      max-width: none;
      min-width: 0;
      z-index: 10;
      /* The border keeps the sheet's edge visible where a shadow does not show (dark). */
      border-top: 1px solid var(--_border);
      box-shadow: 0 -8px 24px rgb(0 0 0 / 0.18);
      border-radius: var(--_radius) var(--_radius) 0 0;
      overflow: hidden;
    }
    .dock {
      padding-block: 6px 8px;
    }
  }
`;
