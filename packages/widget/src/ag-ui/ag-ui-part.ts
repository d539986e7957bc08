/**
 * What `<agent-chat protocol="ag-ui">` loads on first use (see
 * lazy-ag-ui-client.ts): core's AG-UI client and mapping.
 */
export { AgUiChatClient } from '@agent-chat/core/ag-ui';

// Not used here: hints to the bundler, as in tool-parts.ts. Reached from this file too,
// `<agent-chat>`, what it imports and the events the tool parts fire stay in the one chunk
// the prebuilt bundle loads at once (and shares with the tool parts), instead of what this
// part shares with the bundle moving to files of their own (+0.7 KB min+gzip loaded at once).
export { AgentChat } from '../components/agent-chat/agent-chat.component.js';
export { AgentChatApproveEvent } from '../events/approve-event.js';
export { AgentChatInputEditEvent } from '../events/input-edit-event.js';
export { AgentChatPanelCloseEvent } from '../events/panel-close-event.js';
export { AgentChatPanelPinEvent } from '../events/panel-pin-event.js';
export { AgentChatSessionSelectEvent } from '../events/session-select-event.js';
export { AgentChatToolSelectEvent } from '../events/tool-select-event.js';
