/** Registers `<agent-chat-code-panel>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatCodePanel } from './code-panel.component.js';

defineElement('agent-chat-code-panel', AgentChatCodePanel);
