export * from './components/index.js';
export { useAgentChat, type UseAgentChatOptions, type UseAgentChatResult } from './use-agent-chat.js';
export {
  ChatStore,
  type ChatStoreOptions,
  type ChatSnapshot,
  type ChatStatus,
  type ChatError,
  type ChatErrorInfo,
} from './chat-store.js';
