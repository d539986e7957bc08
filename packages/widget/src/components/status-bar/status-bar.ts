/** Registers `<agent-chat-status>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatStatus } from './status-bar.component.js';

defineElement('agent-chat-status', AgentChatStatus);
