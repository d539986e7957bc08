import type { Attachment } from '@agent-chat/core';

/** Detail of {@link AgentChatUploadsChangeEvent}. */
export interface AgentChatUploadsChangeDetail {
  /** The files uploaded and ready to send, in the order added. */
  attachments: Attachment[];
  /** How many files are still uploading (Send waits for them). */
  uploading: number;
}

/**
 * `agent-chat-uploads-change`: the files of `<agent-chat-uploads>` changed (one
 * added, uploaded, refused or removed). The composer listens to enable Send.
 */
export class AgentChatUploadsChangeEvent extends Event {
  static readonly type = 'agent-chat-uploads-change';
  readonly detail: AgentChatUploadsChangeDetail;
  constructor(detail: AgentChatUploadsChangeDetail) {
    super(AgentChatUploadsChangeEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-uploads-change': AgentChatUploadsChangeEvent;
  }
}
