/** Registers `<agent-chat-attachments>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatAttachments } from './attachment-list.component.js';

defineElement('agent-chat-attachments', AgentChatAttachments);
