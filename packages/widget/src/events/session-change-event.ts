/** Detail of {@link AgentChatSessionChangeEvent}. */
export interface AgentChatSessionChangeDetail {
  /** The session `<agent-chat>` now shows. */
  sessionId: string;
  /** Its title, when it has one. */
  title?: string;
}

/** `agent-chat-session-change`: `<agent-chat>` opened a session (resumed, created or switched to); `<agent-chat-sessions>` follows it. */
export class AgentChatSessionChangeEvent extends Event {
  static readonly type = 'agent-chat-session-change';
  readonly detail: AgentChatSessionChangeDetail;
  constructor(detail: AgentChatSessionChangeDetail) {
    super(AgentChatSessionChangeEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-session-change': AgentChatSessionChangeEvent;
  }
}
