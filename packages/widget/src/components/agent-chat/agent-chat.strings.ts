import type { ToolCallState } from '@agent-chat/core';

/** Every piece of text `<agent-chat>` shows or announces. Replace any of them through the `strings` property. */
export interface AgentChatStrings {
  transcriptLabel: string;
  emptyState: string;
  inputLabel: string;
  inputPlaceholder: string;
  send: string;
  stop: string;
  stopLabel: string;
  you: string;
  assistant: string;
  thinking: string;
  thoughts: string;
  toolInput: string;
  toolOutput: string;
  toolStates: Record<ToolCallState, string>;
  approve: string;
  reject: string;
  approveAll: string;
  rejectAll: string;
  /** Label of a tool call's approval controls; `{name}` is the tool's name. */
  approvalLabel: string;
  /** `{name}` is the tool's name. */
  approveLabel: string;
  /** `{name}` is the tool's name. */
  rejectLabel: string;
  feedbackLabel: string;
  feedbackPlaceholder: string;
  /** `{count}` is the number of tool calls waiting. */
  approvalsWaiting: string;
  decisionApproved: string;
  decisionRejected: string;
  rejectionFeedback: string;
  /** `{input}`, `{output}`: token counts; `{cost}`: USD, already formatted. */
  usage: string;
  usageCost: string;
  connecting: string;
  responding: string;
  announceTurnStarted: string;
  announceTurnComplete: string;
  /** `{names}` lists the tools waiting. */
  announceApproval: string;
  announceInterrupted: string;
  /** `{message}` is the error. */
  announceError: string;
}

/** English defaults. */
export const DEFAULT_STRINGS: AgentChatStrings = {
  transcriptLabel: 'Conversation',
  emptyState: 'How can I help you today?',
  inputLabel: 'Message',
  inputPlaceholder: 'Send a message…',
  send: 'Send',
  stop: 'Stop',
  stopLabel: 'Stop the response',
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking…',
  thoughts: 'Thoughts',
  toolInput: 'Input',
  toolOutput: 'Output',
  toolStates: {
    running: 'Running',
    awaiting_approval: 'Awaiting approval',
    approved: 'Approved',
    rejected: 'Rejected',
    done: 'Done',
    error: 'Error',
    interrupted: 'Interrupted',
  },
  approve: 'Approve',
  reject: 'Reject',
  approveAll: 'Approve all',
  rejectAll: 'Reject all',
  approvalLabel: 'Approval for {name}',
  approveLabel: 'Approve {name}',
  rejectLabel: 'Reject {name}',
  feedbackLabel: 'Feedback for {name} (optional)',
  feedbackPlaceholder: 'Why not? (optional)',
  approvalsWaiting: '{count} tool calls need your approval',
  decisionApproved: 'Will approve',
  decisionRejected: 'Will reject',
  rejectionFeedback: 'Feedback',
  usage: '{input} input · {output} output tokens',
  usageCost: '{cost}',
  connecting: 'Connecting…',
  responding: 'Assistant is responding',
  announceTurnStarted: 'Assistant is responding',
  announceTurnComplete: 'Response complete',
  announceApproval: 'Approval needed: {names}',
  announceInterrupted: 'Response stopped',
  announceError: 'Error: {message}',
};

/** Fills `{name}` placeholders. Unknown names stay as written. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}
