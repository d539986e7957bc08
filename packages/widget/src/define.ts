/**
 * Registers every element under its default tag, at once: `<agent-chat>` and its
 * parts (`<agent-chat-messages>`, `<agent-chat-composer>`, `<agent-chat-tool-group>`,
 * `<agent-chat-approvals>`, `<agent-chat-research>`, `<agent-chat-code-panel>`,
 * `<agent-chat-status>`), `<agent-chat-sessions>` and the attachment parts
 * (`<agent-chat-uploads>`, `<agent-chat-attachments>`), so `customElements.get()`
 * finds each right after the import and a page may use any of them on its own.
 * Import this module for its side effect; import the package's index instead to
 * register under your own tags. (The prebuilt bundle registers the tool parts on
 * first need instead, see define-bundle.ts.) Does nothing where `customElements`
 * does not exist (server-side rendering).
 */
import './components/agent-chat/agent-chat.js';
import './components/tool-call-group/tool-call-group.js';
import './components/approval-panel/approval-panel.js';
import './components/code-panel/code-panel.js';
import './components/research-panel/research-panel.js';
import './components/sessions-sidebar/sessions-sidebar.js';
import './components/attachments/uploads.js';
import './components/attachments/attachment-list.js';

export * from './index.js';
