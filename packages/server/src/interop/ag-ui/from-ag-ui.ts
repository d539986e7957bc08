// The AG-UI -> agent-chat mapping lives in core (`@agent-chat/core/ag-ui`),
// where the browser's `AgUiChatClient` (`<agent-chat protocol="ag-ui">`) uses it too.
export { AgUiToAgentChat, fromTokenUsage, type AgUiToAgentChatOptions } from '@agent-chat/core/ag-ui';
