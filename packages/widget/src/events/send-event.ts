import type { Attachment } from '@agent-chat/core';

/** Detail of {@link AgentChatSendEvent}. */
export interface AgentChatSendDetail {
  /** The message the user is sending, as typed (not trimmed). */
  text: string;
  /** Files uploaded in the composer to send with the text (then possibly empty), when the server accepts attachments. */
  attachments?: Attachment[];
}

/**
 * `agent-chat-send`: the user asked to send a message. Cancelable: call
 * `preventDefault()` to keep it from being sent (the text stays in the composer).
 */
export class AgentChatSendEvent extends Event {
  static readonly type = 'agent-chat-send';
  readonly detail: AgentChatSendDetail;
  constructor(detail: AgentChatSendDetail) {
    super(AgentChatSendEvent.type, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-send': AgentChatSendEvent;
  }
}
