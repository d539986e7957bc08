/** Detail of {@link AgentChatStopEvent}: nothing beyond the event itself. */
export type AgentChatStopDetail = Record<string, never>;

/** `agent-chat-stop`: the user asked to stop the running turn (Stop button or Escape). */
export class AgentChatStopEvent extends Event {
  static readonly type = 'agent-chat-stop';
  readonly detail: AgentChatStopDetail;
  constructor(detail: AgentChatStopDetail = {}) {
    super(AgentChatStopEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-stop': AgentChatStopEvent;
  }
}
