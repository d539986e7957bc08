/**
 * @agent-chat/widget: Lit custom elements for an agent-chat server. This
 * module only exports classes; it registers nothing and touches no DOM global
 * at import, so it is safe to import during server-side rendering. Register
 * with `@agent-chat/widget/define`, or `customElements.define('my-chat', AgentChat)`.
 */
export { AgentChat, sessionStorageKey } from './components/agent-chat/agent-chat.component.js';
export { AgentChatMessages } from './components/message-list/message-list.component.js';
export { AgentChatComposer } from './components/composer/composer.component.js';
export { AgentChatToolGroup } from './components/tool-call-group/tool-call-group.component.js';
export { AgentChatApprovals } from './components/approval-panel/approval-panel.component.js';
export { AgentChatResearch } from './components/research-panel/research-panel.component.js';
export { AgentChatCodePanel } from './components/code-panel/code-panel.component.js';
export { AgentChatStatus, type ConnectionState } from './components/status-bar/status-bar.component.js';
export { AgentChatSessions } from './components/sessions-sidebar/sessions-sidebar.component.js';
export { AgentChatUploads } from './components/attachments/uploads.component.js';
export { AgentChatAttachments } from './components/attachments/attachment-list.component.js';
export { defineElement, defineLazyElement, ensureDefined, type ComposedElementClass, type ElementLoader } from './define-element.js';
export { DEFAULT_STRINGS, type AgentChatStrings, type AttachmentStrings } from './strings.js';
export { DEFAULT_ATTACHMENT_STRINGS } from './components/attachments/attachment-strings.js';
export type { AgentChatClient, AttachmentHost, ModelOption, ServerFeatures } from './client.js';
export {
  StreamingMarkdown,
  type MarkdownBlock,
  type HtmlSanitizer,
  type MarkdownUpdateOptions,
  type StreamingMarkdownOptions,
  type StreamingMarkdownStats,
} from './markdown/streaming-markdown.js';
export { createImagePolicy, type ImagePolicy, type ImagePolicyOptions } from './markdown/image-policy.js';
export { AgentChatSendEvent, type AgentChatSendDetail } from './events/send-event.js';
export { AgentChatStopEvent, type AgentChatStopDetail } from './events/stop-event.js';
export { AgentChatApproveEvent, type AgentChatApproveDetail } from './events/approve-event.js';
export { AgentChatTurnCompleteEvent, type AgentChatTurnCompleteDetail } from './events/turn-complete-event.js';
export { AgentChatErrorEvent, type AgentChatErrorDetail } from './events/error-event.js';
export { AgentChatModelChangeEvent, type AgentChatModelChangeDetail } from './events/model-change-event.js';
export { AgentChatEditMessageEvent, type AgentChatEditMessageDetail } from './events/edit-message-event.js';
export { AgentChatUndoEvent, type AgentChatUndoDetail } from './events/undo-event.js';
export { AgentChatToolSelectEvent, type AgentChatToolSelectDetail } from './events/tool-select-event.js';
export { AgentChatInputEditEvent, type AgentChatInputEditDetail } from './events/input-edit-event.js';
export { AgentChatPanelPinEvent, type AgentChatPanelPinDetail } from './events/panel-pin-event.js';
export { AgentChatPanelCloseEvent, type AgentChatPanelCloseDetail } from './events/panel-close-event.js';
export { AgentChatSessionSelectEvent, type AgentChatSessionSelectDetail } from './events/session-select-event.js';
export { AgentChatSessionChangeEvent, type AgentChatSessionChangeDetail } from './events/session-change-event.js';
export { AgentChatTitleEvent, type AgentChatTitleDetail } from './events/title-event.js';
export { AgentChatAttachEvent, type AgentChatAttachDetail } from './events/attach-event.js';
export { AgentChatUploadsChangeEvent, type AgentChatUploadsChangeDetail } from './events/uploads-change-event.js';
