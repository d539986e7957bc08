/** Registers `<agent-chat-messages>` (and the tool call group and research panel it renders). */
import { defineElement } from '../../define-element.js';
import { AgentChatMessages } from './message-list.component.js';

defineElement('agent-chat-messages', AgentChatMessages);
