/** Detail of {@link AgentChatUndoEvent}. */
export interface AgentChatUndoDetail {
  /** Id of the user message whose turn is undone (the last one). */
  messageId: string;
}

/** `agent-chat-undo`: the user asked to undo the last turn. Cancelable. */
export class AgentChatUndoEvent extends Event {
  static readonly type = 'agent-chat-undo';
  readonly detail: AgentChatUndoDetail;
  constructor(detail: AgentChatUndoDetail) {
    super(AgentChatUndoEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-undo': AgentChatUndoEvent;
  }
}
