// How agent-chat's ids and names appear in AG-UI lives in core (`@agent-chat/core/ag-ui`),
// so the server's mappings and the browser's AG-UI client agree.
export {
  AGENT_CHAT_METADATA_KEY,
  AssistantLayout,
  CUSTOM_EVENT,
  RESEARCH_ACTIVITY_TYPE,
  TOOL_APPROVAL_REASON,
  researchActivityId,
  subagentRunId,
  toolResultMessageId,
} from '@agent-chat/core/ag-ui';
