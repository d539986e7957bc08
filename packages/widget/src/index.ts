export { AgentChat, sessionStorageKey } from './components/agent-chat/agent-chat.component.js';
export { DEFAULT_STRINGS, type AgentChatStrings } from './components/agent-chat/agent-chat.strings.js';
export {
  StreamingMarkdown,
  type MarkdownBlock,
  type HtmlSanitizer,
  type StreamingMarkdownOptions,
  type StreamingMarkdownStats,
} from './markdown/streaming-markdown.js';
export { AgentChatSendEvent, type AgentChatSendDetail } from './events/send-event.js';
export { AgentChatApproveEvent, type AgentChatApproveDetail } from './events/approve-event.js';
export { AgentChatTurnCompleteEvent, type AgentChatTurnCompleteDetail } from './events/turn-complete-event.js';
export { AgentChatErrorEvent, type AgentChatErrorDetail } from './events/error-event.js';
