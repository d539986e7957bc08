/** Detail of {@link AgentChatStopEvent}. */
export interface AgentChatStopDetail {
  /** How the user asked: the Stop button, or Escape in the composer. Absent from older senders. */
  source?: 'button' | 'escape';
}

/**
 * `agent-chat-stop`: the user asked to stop the running turn (Stop button or
 * Escape in the composer). `<agent-chat>` does not stop on Escape while tool
 * calls wait for approval: the approval is what is open then.
 */
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
