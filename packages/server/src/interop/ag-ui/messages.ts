// Our conversation <-> AG-UI messages lives in core (`@agent-chat/core/ag-ui`):
// the browser's AG-UI client sends the conversation as AG-UI messages too.
export {
  agentChatMeta,
  argumentsToInput,
  contentToOutput,
  fromAgUiMessages,
  inputToArguments,
  outputToContent,
  toAgUiMessages,
  withMeta,
} from '@agent-chat/core/ag-ui';
