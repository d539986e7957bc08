import { css } from 'lit';

export const sessionsSidebarStyles = css`
  :host {
    display: block;
    width: var(--agent-chat-sessions-width, 16rem);
    min-height: 0;
    font-size: 0.92em;
  }
  .toggle,
  .backdrop {
    display: none;
  }
  .sidebar {
    height: 100%;
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 12px 8px;
    background: var(--_surface);
    border-inline-end: 1px solid var(--_border);
    overflow-y: auto;
  }
  .top {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 0 4px;
  }
  .title {
    margin: 0;
    font-size: 0.8em;
    font-weight: 650;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    color: var(--_muted);
  }
  .new {
    text-align: start;
  }
  .none {
    color: var(--_muted);
    padding: 0 4px;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 2px;
  }
  .session {
    display: flex;
    align-items: center;
    border-radius: 8px;
  }
  .session:hover {
    background: color-mix(in srgb, var(--_fg) 5%, transparent);
  }
  .session.active {
    background: color-mix(in srgb, var(--_accent) 13%, transparent);
  }
  .pick {
    flex: 1;
    min-width: 0;
    display: flex;
    align-items: center;
    gap: 6px;
    text-align: start;
    border: 0;
    background: transparent;
    font-weight: 500;
    padding: 7px 8px;
  }
  .pick:hover:not(:disabled) {
    background: transparent;
  }
  .session.active .pick {
    font-weight: 650;
  }
  .name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .delete {
    line-height: 0;
    padding: 6px;
    opacity: 0;
  }
  .session:hover .delete,
  .session.active .delete,
  .delete:focus-visible {
    opacity: 1;
  }
  /* A session just deleted, while Undo is offered in its place. */
  .session.deleted {
    gap: 6px;
    padding: 2px 2px 2px 8px;
    color: var(--_muted);
    font-style: italic;
  }
  .undo {
    flex: none;
    font-style: normal;
    padding: 3px 10px;
  }
  .notice {
    margin: 0;
    padding: 8px 10px;
    border-radius: 8px;
    font-size: 0.9em;
    color: var(--_fg);
    background: color-mix(in srgb, var(--_danger) 10%, var(--_bg));
    border: 1px solid color-mix(in srgb, var(--_danger) 40%, transparent);
  }
  @media (max-width: 640px) {
    :host {
      width: auto;
    }
    /* Beside <agent-chat>, the toggle continues its status row (as tall, the same rule under it)
       rather than a bordered box jammed against the row's start. */
    .toggle {
      display: inline-grid;
      place-items: center;
      box-sizing: border-box;
      min-width: 40px;
      min-height: 33px;
      padding: 6px 8px;
      line-height: 0;
      border: 0;
      border-bottom: 1px solid var(--_border);
      border-radius: 0;
      background: var(--_bg);
    }
    .sidebar {
      position: fixed;
      inset-block: 0;
      inset-inline-start: 0;
      z-index: 1001;
      width: min(85vw, 20rem);
      transform: translateX(-100%);
      visibility: hidden;
      transition: transform 0.2s ease, visibility 0.2s;
      box-shadow: var(--_shadow);
    }
    :host(:dir(rtl)) .sidebar {
      transform: translateX(100%);
    }
    /* Visible at once when opening (so it can take focus), hidden only once slid out when closing. */
    :host([open]) .sidebar {
      transform: none;
      visibility: visible;
      transition: transform 0.2s ease;
    }
    .backdrop {
      display: block;
      position: fixed;
      inset: 0;
      z-index: 1000;
      background: rgb(0 0 0 / 0.35);
    }
    .delete {
      opacity: 1;
    }
  }
`;
