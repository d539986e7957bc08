/** Detail of {@link AgentChatToolSelectEvent}. */
export interface AgentChatToolSelectDetail {
  /** The tool call to show in the code panel. */
  toolCallId: string;
  /** True when the user asked to edit the input of a call waiting for approval. */
  edit?: boolean;
}

/** `agent-chat-tool-select`: the user asked to see a tool call in the code panel. */
export class AgentChatToolSelectEvent extends Event {
  static readonly type = 'agent-chat-tool-select';
  readonly detail: AgentChatToolSelectDetail;
  constructor(detail: AgentChatToolSelectDetail) {
    super(AgentChatToolSelectEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-tool-select': AgentChatToolSelectEvent;
  }
}
