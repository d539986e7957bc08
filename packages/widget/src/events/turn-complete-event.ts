/** Detail of {@link AgentChatTurnCompleteEvent}. */
export interface AgentChatTurnCompleteDetail {
  turnId: string;
  /** Why the model stopped, e.g. `end_turn`, `max_tokens`. */
  stopReason: string;
}

/** `agent-chat-turn-complete`: the assistant finished a turn normally (the `turn_complete` protocol event). */
export class AgentChatTurnCompleteEvent extends Event {
  static readonly type = 'agent-chat-turn-complete';
  readonly detail: AgentChatTurnCompleteDetail;
  constructor(detail: AgentChatTurnCompleteDetail) {
    super(AgentChatTurnCompleteEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-turn-complete': AgentChatTurnCompleteEvent;
  }
}
