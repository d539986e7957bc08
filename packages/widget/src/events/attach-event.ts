/** Detail of {@link AgentChatAttachEvent}. */
export interface AgentChatAttachDetail {
  /** Files the user pasted, dropped or picked. */
  files: File[];
}

/** `agent-chat-attach`: the user added files in the composer (only when the server accepts attachments). Cancelable: `preventDefault()` refuses them. */
export class AgentChatAttachEvent extends Event {
  static readonly type = 'agent-chat-attach';
  readonly detail: AgentChatAttachDetail;
  constructor(detail: AgentChatAttachDetail) {
    super(AgentChatAttachEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-attach': AgentChatAttachEvent;
  }
}
