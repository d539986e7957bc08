/**
 * The attachment parts, loaded on first need: by `<agent-chat>` once the server
 * announces attachments, by `<agent-chat-composer>` when files are added, by
 * `<agent-chat-messages>` for a message with files. One module for both, so
 * the prebuilt bundle gets one lazy file for them (with core's upload code).
 */
export { AgentChatUploads } from './uploads.component.js';
export { AgentChatAttachments } from './attachment-list.component.js';
// Not a part: a hint to the bundler, as in tool-parts.ts. Reached from this file too,
// `<agent-chat>` and everything it imports stay in the one chunk the prebuilt bundle
// shares with its lazy files, instead of being split into one chunk per set of files
// that reach them (two files loaded at once, 1.4 KB min+gzip more). Loading this file runs nothing more.
export { AgentChat } from '../agent-chat/agent-chat.component.js';
// Likewise the events the prebuilt bundle exports but only the tool parts fire: else they
// would be a chunk of their own, loaded at once beside the shared one.
export { AgentChatApproveEvent } from '../../events/approve-event.js';
export { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';
export { AgentChatInputEditEvent } from '../../events/input-edit-event.js';
export { AgentChatPanelPinEvent } from '../../events/panel-pin-event.js';
export { AgentChatPanelCloseEvent } from '../../events/panel-close-event.js';
export { AgentChatSessionSelectEvent } from '../../events/session-select-event.js';
