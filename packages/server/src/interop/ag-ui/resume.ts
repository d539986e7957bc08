// Approval decisions <-> `RunAgentInput.resume[]` live in core (`@agent-chat/core/ag-ui`),
// shared by this endpoint, `agUiAgent` and the browser's AG-UI client.
export { approvalsFromResume, resumeFromApprovals, type ApprovalPayload } from '@agent-chat/core/ag-ui';
