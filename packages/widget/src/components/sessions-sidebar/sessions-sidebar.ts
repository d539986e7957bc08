/** Registers `<agent-chat-sessions>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatSessions } from './sessions-sidebar.component.js';

defineElement('agent-chat-sessions', AgentChatSessions);
