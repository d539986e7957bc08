/**
 * Registers `<agent-chat>` and the parts it always renders, under their default tags;
 * the code panel, approvals and research list on first need (see `ensureDefined`).
 */
import { defineElement } from '../../define-element.js';
import { AgentChat } from './agent-chat.component.js';

defineElement('agent-chat', AgentChat);
