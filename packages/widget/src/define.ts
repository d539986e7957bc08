/**
 * Registers `<agent-chat>`. Import this module (or load the bundle) for its
 * side effect; import the package's index instead to register under your own tag.
 * Does nothing where `customElements` does not exist (server-side rendering).
 */
import { AgentChat } from './components/agent-chat/agent-chat.component.js';

export { AgentChat };

if (typeof customElements !== 'undefined' && !customElements.get('agent-chat')) {
  customElements.define('agent-chat', AgentChat);
}
