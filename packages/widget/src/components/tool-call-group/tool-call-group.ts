/** Registers `<agent-chat-tool-group>` (and `<agent-chat-research>`, which it renders). */
import { defineElement } from '../../define-element.js';
import { AgentChatToolGroup } from './tool-call-group.component.js';

defineElement('agent-chat-tool-group', AgentChatToolGroup);
