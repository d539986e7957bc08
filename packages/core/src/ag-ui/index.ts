/**
 * `@agent-chat/core/ag-ui`: AG-UI 1.0 (https://docs.ag-ui.com) on the client
 * side. `AgUiChatClient` runs any AG-UI agent behind `ChatSession` (and so
 * `<agent-chat protocol="ag-ui">` and `@agent-chat/react`); `AgUiToAgentChat`
 * maps AG-UI events to ours (the server's `agUiAgent` uses it too). Loads no
 * schema library and nothing of `@ag-ui/core` at runtime (its types only).
 * docs/interop.md has the mapping tables.
 */
export { AgUiChatClient, agUiThreadStorageKey, type AgUiChatClientOptions } from './ag-ui-chat-client.js';
export { AgUiToAgentChat, fromTokenUsage, type AgUiToAgentChatOptions } from './from-ag-ui.js';
export { readAgUiEvents } from './read-events.js';
export { approvalsFromResume, resumeFromApprovals, type ApprovalPayload } from './resume.js';
export {
  agentChatMeta,
  argumentsToInput,
  contentToOutput,
  contentToText,
  fromAgUiMessages,
  inputToArguments,
  outputToContent,
  toAgUiMessages,
  withMeta,
} from './messages.js';
export * from './ids.js';
