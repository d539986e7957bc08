/** Detail of {@link AgentChatTitleEvent}. */
export interface AgentChatTitleDetail {
  sessionId: string;
  /** The session's new title (the protocol's `title` event). */
  title: string;
}

/** `agent-chat-title`: the session shown got a title. */
export class AgentChatTitleEvent extends Event {
  static readonly type = 'agent-chat-title';
  readonly detail: AgentChatTitleDetail;
  constructor(detail: AgentChatTitleDetail) {
    super(AgentChatTitleEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-title': AgentChatTitleEvent;
  }
}
