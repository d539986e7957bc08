/** Detail of {@link AgentChatErrorEvent}. */
export interface AgentChatErrorDetail {
  /** Stable code: the protocol's (`agent_error`, `overloaded`, ...), the HTTP API's (`not_found`, `turn_running`, ...) or `network_error`. */
  code: string;
  message: string;
  /** Whether trying the same thing again may succeed. */
  retryable: boolean;
  /** The HTTP status, when a request was refused. */
  status?: number;
}

/** `agent-chat-error`: a turn failed or a request to the server did not succeed. */
export class AgentChatErrorEvent extends Event {
  static readonly type = 'agent-chat-error';
  readonly detail: AgentChatErrorDetail;
  constructor(detail: AgentChatErrorDetail) {
    super(AgentChatErrorEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-error': AgentChatErrorEvent;
  }
}
