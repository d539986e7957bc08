/** Registers `<agent-chat-tool-group>`; `<agent-chat-research>`, which it renders for research tools, on first need. */
import { defineElement } from '../../define-element.js';
import { AgentChatToolGroup } from './tool-call-group.component.js';

defineElement('agent-chat-tool-group', AgentChatToolGroup);
