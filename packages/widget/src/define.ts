/**
 * Registers every element under its default tag: `<agent-chat>` and its parts
 * (`<agent-chat-messages>`, `<agent-chat-composer>`, `<agent-chat-tool-group>`,
 * `<agent-chat-approvals>`, `<agent-chat-research>`, `<agent-chat-code-panel>`,
 * `<agent-chat-status>`) and `<agent-chat-sessions>`. Import this module (or
 * load the bundle) for its side effect; import the package's index instead to
 * register under your own tags. Does nothing where `customElements` does not
 * exist (server-side rendering).
 */
import './components/agent-chat/agent-chat.js';
import './components/sessions-sidebar/sessions-sidebar.js';

export * from './index.js';
