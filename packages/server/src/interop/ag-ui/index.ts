/**
 * `@agent-chat/server/ag-ui`: agent-chat events <-> AG-UI 1.0 events
 * (https://docs.ag-ui.com/spec/1.0). Needs the optional peer `@ag-ui/core`.
 * docs/interop.md has the mapping tables.
 */
export { AgentChatToAgUi, approvalInterrupt, approvalResponseSchema, toTokenUsage, type AgentChatToAgUiOptions } from './to-ag-ui.js';
export { AgUiToAgentChat, fromTokenUsage, type AgUiToAgentChatOptions } from './from-ag-ui.js';
export { agUiAgent, AgUiAgentError, type AgUiAgentOptions } from './ag-ui-agent.js';
export { agUiHandler, type AgUiHandlerOptions, type ChatServer, type ChatUser } from './handler.js';
export { approvalsFromResume, resumeFromApprovals, type ApprovalPayload } from './resume.js';
export { fromAgUiMessages, toAgUiMessages } from './messages.js';
export { AGENT_CHAT_METADATA_KEY, CUSTOM_EVENT, RESEARCH_ACTIVITY_TYPE, TOOL_APPROVAL_REASON } from '@agent-chat/core/ag-ui';
// The agent contract `agUiAgent` implements, as the agent entry points export it (also exported by `@agent-chat/server`).
export * from '../../agents/agent-contract.js';
