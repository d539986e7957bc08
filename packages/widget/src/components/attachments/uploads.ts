/** Registers `<agent-chat-uploads>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatUploads } from './uploads.component.js';

defineElement('agent-chat-uploads', AgentChatUploads);
