/** Detail of {@link AgentChatEditMessageEvent}. */
export interface AgentChatEditMessageDetail {
  /** Id of the user message being replaced. */
  messageId: string;
  /** Its position among the user messages, from 0 (what `POST /truncate/:id` takes). */
  userMessageIndex: number;
  /** The edited text, sent again once the conversation is truncated before the message. */
  text: string;
}

/** `agent-chat-edit-message`: the user edited one of their messages and asked to regenerate from it. Cancelable. */
export class AgentChatEditMessageEvent extends Event {
  static readonly type = 'agent-chat-edit-message';
  readonly detail: AgentChatEditMessageDetail;
  constructor(detail: AgentChatEditMessageDetail) {
    super(AgentChatEditMessageEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-edit-message': AgentChatEditMessageEvent;
  }
}
