/** Registers `<agent-chat-research>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatResearch } from './research-panel.component.js';

defineElement('agent-chat-research', AgentChatResearch);
