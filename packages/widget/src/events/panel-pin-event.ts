/** Detail of {@link AgentChatPanelPinEvent}. */
export interface AgentChatPanelPinDetail {
  /** The tool call pinned in the code panel, or `null` to follow the running tool again. */
  toolCallId: string | null;
}

/** `agent-chat-panel-pin`: the user pinned a tool call in the code panel or unpinned it. */
export class AgentChatPanelPinEvent extends Event {
  static readonly type = 'agent-chat-panel-pin';
  readonly detail: AgentChatPanelPinDetail;
  constructor(detail: AgentChatPanelPinDetail) {
    super(AgentChatPanelPinEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-panel-pin': AgentChatPanelPinEvent;
  }
}
