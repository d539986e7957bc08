/** Registers `<agent-chat>` and every part it renders, under their default tags. */
import { defineElement } from '../../define-element.js';
import { AgentChat } from './agent-chat.component.js';

defineElement('agent-chat', AgentChat);
