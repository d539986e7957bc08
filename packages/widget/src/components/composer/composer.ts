/** Registers `<agent-chat-composer>`. */
import { defineElement } from '../../define-element.js';
import { AgentChatComposer } from './composer.component.js';

defineElement('agent-chat-composer', AgentChatComposer);
