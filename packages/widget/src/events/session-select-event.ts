/** Detail of {@link AgentChatSessionSelectEvent}. */
export interface AgentChatSessionSelectDetail {
  /** The session the user picked or just created. */
  sessionId: string;
}

/** `agent-chat-session-select`: the user picked a session in `<agent-chat-sessions>`. Cancelable: `preventDefault()` keeps the linked `<agent-chat>` where it is. */
export class AgentChatSessionSelectEvent extends Event {
  static readonly type = 'agent-chat-session-select';
  readonly detail: AgentChatSessionSelectDetail;
  constructor(detail: AgentChatSessionSelectDetail) {
    super(AgentChatSessionSelectEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-session-select': AgentChatSessionSelectEvent;
  }
}
