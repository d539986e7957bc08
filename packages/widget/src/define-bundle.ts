/**
 * The prebuilt bundle (`dist/bundle/agent-chat.bundle.js`, for a `<script type="module">`):
 * registers `<agent-chat>` with the parts it always shows, at once. The parts a chat
 * without tools never shows, `<agent-chat-tool-group>`, `<agent-chat-code-panel>`,
 * `<agent-chat-approvals>` and `<agent-chat-research>`, are a file of their own in `parts/`
 * next to the bundle, and so is `<agent-chat-sessions>`; each is fetched and registered on
 * first need: by `<agent-chat>` when the first tool call arrives, by the page with
 * `await ensureDefined(tag)` before creating one from script, or at once when one is
 * already in the page's HTML when the bundle runs. Until then `customElements.get(tag)`
 * is undefined for them.
 *
 * Exports the package's API except those five classes, which would put them back
 * in the bundle (the ones a type of this API names are exported as types only):
 * `ensureDefined(tag)` resolves with a part's class.
 */
import { AgentChat } from './components/agent-chat/agent-chat.component.js';
import { defineElement, defineLazyElement, ensureDefined } from './define-element.js';

// Here rather than by importing agent-chat.ts: built as `@agent-chat/widget/define-lazy`, a
// registration shared with define.ts would land in a chunk of dist/ that `sideEffects` does
// not list, and a bundler would drop it (src/define-lazy.node.test.ts).
defineElement('agent-chat', AgentChat);

// With the tool parts (see tool-parts.ts): a page with one chat and no session list never loads it.
defineLazyElement('agent-chat-sessions', () => import('./components/tool-parts/tool-parts.js').then((m) => m.AgentChatSessions));

/** The tags this bundle loads on first need. */
const LAZY_TAGS = ['agent-chat-approvals', 'agent-chat-code-panel', 'agent-chat-research', 'agent-chat-sessions', 'agent-chat-tool-group'] as const;

function defineLazyPartsInPage(): void {
  for (const tag of LAZY_TAGS) {
    if (document.querySelector(tag)) ensureDefined(tag).catch(reportError);
  }
}

if (typeof document !== 'undefined') {
  // A module script runs once the HTML is parsed, unless `async`.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', defineLazyPartsInPage, { once: true });
  else defineLazyPartsInPage();
}

// From each module, not from index.ts: importing index would reach the lazy parts' modules
// statically, and esbuild would then load their chunks with the bundle.
export { AgentChat, sessionStorageKey } from './components/agent-chat/agent-chat.component.js';
export { AgentChatMessages } from './components/message-list/message-list.component.js';
export { AgentChatComposer } from './components/composer/composer.component.js';
export { AgentChatStatus, type ConnectionState } from './components/status-bar/status-bar.component.js';
// The lazy parts' classes as types only (what `ensureDefined(tag)` resolves with): no code, so they stay in parts/.
export type { AgentChatApprovals } from './components/approval-panel/approval-panel.component.js';
export type { AgentChatAttachments } from './components/attachments/attachment-list.component.js';
export type { AgentChatCodePanel } from './components/code-panel/code-panel.component.js';
export type { AgentChatResearch } from './components/research-panel/research-panel.component.js';
export type { AgentChatToolGroup } from './components/tool-call-group/tool-call-group.component.js';
export type { AgentChatUploads } from './components/attachments/uploads.component.js';
export { defineElement, defineLazyElement, ensureDefined, type ComposedElementClass, type ElementLoader } from './define-element.js';
export { DEFAULT_STRINGS, type AgentChatStrings, type AttachmentStrings } from './strings.js';
export type { AgentChatClient, AttachmentHost, ModelOption, ServerFeatures } from './client.js';
export {
  StreamingMarkdown,
  type HtmlSanitizer,
  type MarkdownBlock,
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
