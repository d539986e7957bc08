import type { ApprovalDecision } from '@agent-chat/core';

/** Detail of {@link AgentChatApproveEvent}. */
export interface AgentChatApproveDetail {
  /** The user's decision on every tool call that waited for one, as sent to the server. */
  approvals: ApprovalDecision[];
}

/** `agent-chat-approve`: the user decided on the pending tool calls; the decisions are being sent. */
export class AgentChatApproveEvent extends Event {
  static readonly type = 'agent-chat-approve';
  readonly detail: AgentChatApproveDetail;
  constructor(detail: AgentChatApproveDetail) {
    super(AgentChatApproveEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-approve': AgentChatApproveEvent;
  }
}
