/** Registers `<agent-chat-approvals>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatApprovals } from './approval-panel.component.js';

defineElement('agent-chat-approvals', AgentChatApprovals);
