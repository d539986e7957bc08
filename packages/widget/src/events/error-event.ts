import type { ChatErrorInfo } from '@agent-chat/core';
/** Detail of {@link AgentChatErrorEvent}, core's {@link ChatErrorInfo}: `code`, `message`, `retryable`, and `status` when a request was refused. */
export type AgentChatErrorDetail = ChatErrorInfo;

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
