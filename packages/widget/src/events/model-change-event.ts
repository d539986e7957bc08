/** Detail of {@link AgentChatModelChangeEvent}. */
export interface AgentChatModelChangeDetail {
  /** Id of the model the user picked, from the server's models list. */
  model: string;
}

/** `agent-chat-model-change`: the user picked another model in the composer. Cancelable: `preventDefault()` keeps the previous one. */
export class AgentChatModelChangeEvent extends Event {
  static readonly type = 'agent-chat-model-change';
  readonly detail: AgentChatModelChangeDetail;
  constructor(detail: AgentChatModelChangeDetail) {
    super(AgentChatModelChangeEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-model-change': AgentChatModelChangeEvent;
  }
}
