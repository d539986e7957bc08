import type { ToolCallState } from '@agent-chat/core';

/**
 * Every piece of text the elements show or announce. Each element takes a
 * `strings` property with replacements for any of them; missing keys keep the
 * English default. `{name}` placeholders are filled by {@link format}.
 */
export interface AgentChatStrings extends Partial<AttachmentStrings> {
  transcriptLabel: string;
  emptyState: string;
  inputLabel: string;
  inputPlaceholder: string;
  /** The first stop of the keyboard in `<agent-chat>`, shown when focused: moves focus to the composer (as "/" does). */
  skipToInput: string;
  send: string;
  stop: string;
  stopLabel: string;
  you: string;
  assistant: string;
  thinking: string;
  thoughts: string;
  /** Summary of the thinking of an answer stopped while the model was thinking. */
  thinkingStopped: string;
  /** The mark ending an answer that was stopped before it finished. */
  stopped: string;
  toolInput: string;
  toolOutput: string;
  toolStates: Record<ToolCallState, string>;
  /** `{count}` tool calls in a group. */
  toolGroup: string;
  showMore: string;
  showLess: string;
  /** Button that opens a tool call in the code panel; `{name}` is the tool. */
  openInPanel: string;
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
  approvalsTitle: string;
  decisionApproved: string;
  decisionRejected: string;
  rejectionFeedback: string;
  editInput: string;
  /** `{name}` is the tool's name. */
  editInputLabel: string;
  edited: string;
  codePanelLabel: string;
  codePanelEmpty: string;
  pin: string;
  unpin: string;
  /** Tooltip of Pin: what pinning does. */
  pinTitle: string;
  /** Tooltip of Unpin. */
  unpinTitle: string;
  closePanel: string;
  following: string;
  saveEdit: string;
  cancelEdit: string;
  resetEdit: string;
  diffLabel: string;
  invalidJson: string;
  /** `{errors}` lists what is wrong. */
  invalidInput: string;
  researchLabel: string;
  /** `{count}` tool calls made by a sub-agent. */
  researchTools: string;
  /** `{tokens}` already formatted. */
  researchTokens: string;
  researchStates: Record<'running' | 'done' | 'error', string>;
  statusIdle: string;
  statusThinking: string;
  statusResponding: string;
  /** `{name}` is the running tool. */
  statusRunningTool: string;
  statusAwaitingApproval: string;
  /** The status while the session is being opened. */
  statusConnecting: string;
  /** The status when no session could be opened (instead of `statusIdle`). */
  statusNotConnected: string;
  statusLabel: string;
  /** `{tokens}` and `{cost}` already formatted. */
  turnUsage: string;
  sessionUsage: string;
  /** `{tokens}` already formatted; shown instead of `turnUsage` when no cost is known (0). */
  turnUsageTokens: string;
  sessionUsageTokens: string;
  tokens: string;
  /** `{input}`, `{output}`: token counts. */
  usage: string;
  usageCost: string;
  connecting: string;
  /** The composer's placeholder when no session could be opened. */
  notConnected: string;
  /** Above the composer when no session could be opened, before "Try again". */
  connectFailed: string;
  retry: string;
  /** At the session limit, beside "Try again": opens the most recent conversation instead. */
  openLatestSession: string;
  responding: string;
  copy: string;
  copied: string;
  copyCode: string;
  /** Button standing for a remote image in an answer, which loads it; `{host}` is where it would load from. */
  loadImage: string;
  editMessage: string;
  editAndRegenerate: string;
  undo: string;
  messageActions: string;
  jumpToLatest: string;
  /** `{count}` hidden older messages. */
  showEarlier: string;
  modelLabel: string;
  attach: string;
  sessionsLabel: string;
  newSession: string;
  untitledSession: string;
  /** `{title}` of the session. */
  deleteSession: string;
  /** In place of a deleted session while it can be restored; `{title}` of the session. */
  sessionDeleted: string;
  undoDelete: string;
  /** `{title}` of the session. */
  undoDeleteLabel: string;
  /** Under "New chat" at the per-user session limit. */
  sessionLimit: string;
  openSessions: string;
  closeSessions: string;
  noSessions: string;
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
  skipToInput: 'Skip to the message box',
  send: 'Send',
  stop: 'Stop',
  stopLabel: 'Stop the response',
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking…',
  thoughts: 'Thoughts',
  thinkingStopped: 'Thinking stopped',
  stopped: 'Stopped',
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
  toolGroup: '{count} tool calls',
  showMore: 'Show more',
  showLess: 'Show less',
  openInPanel: 'Open {name} in the code panel',
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
  approvalsTitle: 'Needs your approval',
  decisionApproved: 'Will approve',
  decisionRejected: 'Will reject',
  rejectionFeedback: 'Feedback',
  editInput: 'Edit',
  editInputLabel: 'Edit the input of {name}',
  edited: '(edited)',
  codePanelLabel: 'Code panel',
  codePanelEmpty: 'Select a tool call to see its input and output.',
  pin: 'Pin',
  unpin: 'Unpin',
  pinTitle: 'Keep this call here while the agent runs other tools (until the next message)',
  unpinTitle: 'Follow the tool the agent is running again',
  closePanel: 'Close the panel',
  following: 'Following the running tool',
  saveEdit: 'Use this input',
  cancelEdit: 'Cancel',
  resetEdit: 'Reset to original',
  diffLabel: 'Changes from the original',
  invalidJson: 'Not valid JSON: {errors}',
  invalidInput: 'The input does not match the tool: {errors}',
  researchLabel: 'Research agents',
  researchTools: '{count} tools',
  researchTokens: '{tokens} tokens',
  researchStates: { running: 'Running', done: 'Done', error: 'Failed' },
  statusIdle: 'Ready',
  statusThinking: 'Thinking…',
  statusResponding: 'Writing…',
  statusRunningTool: 'Running {name}…',
  statusAwaitingApproval: 'Waiting for your approval',
  statusConnecting: 'Connecting…',
  statusNotConnected: 'Not connected',
  statusLabel: 'Activity',
  turnUsage: 'Turn {tokens} · {cost}',
  sessionUsage: 'Session {tokens} · {cost}',
  turnUsageTokens: 'Turn {tokens}',
  sessionUsageTokens: 'Session {tokens}',
  tokens: 'tokens',
  usage: '{input} input · {output} output tokens',
  usageCost: '{cost}',
  connecting: 'Connecting…',
  notConnected: 'Not connected',
  connectFailed: 'The conversation could not be opened.',
  retry: 'Try again',
  openLatestSession: 'Open my latest conversation',
  responding: 'Assistant is responding',
  copy: 'Copy',
  copied: 'Copied',
  copyCode: 'Copy code',
  loadImage: 'Load image from {host}',
  editMessage: 'Edit',
  editAndRegenerate: 'Save and regenerate',
  undo: 'Undo',
  messageActions: 'Message actions',
  jumpToLatest: 'Jump to latest',
  showEarlier: 'Show {count} earlier messages',
  modelLabel: 'Model',
  attach: 'Attach files',
  sessionsLabel: 'Conversations',
  newSession: 'New chat',
  untitledSession: 'New conversation',
  deleteSession: 'Delete “{title}”',
  sessionDeleted: 'Deleted “{title}”',
  undoDelete: 'Undo',
  undoDeleteLabel: 'Undo deleting “{title}”',
  sessionLimit: 'You have the most conversations allowed. Delete one to start a new chat.',
  openSessions: 'Show conversations',
  closeSessions: 'Hide conversations',
  noSessions: 'No conversations yet',
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

/** Merges replacements over the defaults; nested records (`toolStates`, `researchStates`) merge per key. */
export function resolveStrings(overrides: Partial<AgentChatStrings> | undefined): AgentChatStrings {
  if (!overrides) return DEFAULT_STRINGS;
  return {
    ...DEFAULT_STRINGS,
    ...overrides,
    toolStates: { ...DEFAULT_STRINGS.toolStates, ...overrides.toolStates },
    researchStates: { ...DEFAULT_STRINGS.researchStates, ...overrides.researchStates },
  };
}

/**
 * The strings of the attachment parts (`<agent-chat-uploads>`, `<agent-chat-attachments>`).
 * Optional keys of {@link AgentChatStrings}, so `strings` replaces them like any other; their
 * English defaults are `DEFAULT_ATTACHMENT_STRINGS` (components/attachments/attachment-strings.ts),
 * not in {@link DEFAULT_STRINGS}: they load with those parts, so a chat whose server takes no
 * files does not load them.
 */
export interface AttachmentStrings {
  /** The list of files added in the composer. */
  attachmentsLabel: string;
  /** Remove a file from the draft; `{name}` of the file. */
  removeAttachment: string;
  /** Progress bar label while a file uploads; `{name}` of the file. */
  uploading: string;
  /** A file the server refused as too large (413); `{max}` is the limit, e.g. "10 MB". */
  attachmentTooLarge: string;
  /** A file of a type the server does not take (415). */
  attachmentWrongType: string;
  /** The user's storage quota for files is used up (429). */
  attachmentQuota: string;
  /** More files than one message may carry; `{max}` is the limit. */
  attachmentTooMany: string;
  /** Any other failure; `{message}` is the server's or the browser's. */
  attachmentFailed: string;
  /** The files sent with a message. */
  sentAttachmentsLabel: string;
  /** Button showing an image of a message in the lightbox; `{name}` of the file. */
  openImage: string;
  /** Read before a sent file's name and size, on the link that downloads it. */
  downloadAttachment: string;
  /** Close the lightbox. */
  closeImage: string;
  /** In place of an image that could not be loaded; `{name}` of the file. */
  imageUnavailable: string;
}
