/**
 * `@agent-chat/server/ai-sdk-ui`: agent-chat events as the AI SDK's UI
 * message stream (`ai` 7, what `useChat` reads). docs/interop.md has the mapping table.
 */
export { AgentChatToUIMessageChunks, DATA_PART } from './to-ui-message-chunks.js';
export { toUIMessages } from './ui-messages.js';
export { aiSdkUiHandler, type AiSdkUiHandlerOptions, type ChatServer, type ChatUser } from './handler.js';
