/** Detail of {@link AgentChatPanelCloseEvent}: nothing beyond the event itself. */
export type AgentChatPanelCloseDetail = Record<string, never>;

/** `agent-chat-panel-close`: the user closed the code panel. */
export class AgentChatPanelCloseEvent extends Event {
  static readonly type = 'agent-chat-panel-close';
  readonly detail: AgentChatPanelCloseDetail;
  constructor(detail: AgentChatPanelCloseDetail = {}) {
    super(AgentChatPanelCloseEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-panel-close': AgentChatPanelCloseEvent;
  }
}
