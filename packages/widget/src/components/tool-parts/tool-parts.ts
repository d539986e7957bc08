/**
 * The parts `<agent-chat>` shows only for tool calls: the code panel, the approvals
 * and the research list, which `<agent-chat>` and `<agent-chat-tool-group>` load on
 * first need (their `lazyDependencies`). One module for the three, so the prebuilt
 * bundle gets one lazy file for them, and one chunk of what they share with it
 * rather than one per combination of parts.
 */
export { AgentChatCodePanel } from '../code-panel/code-panel.component.js';
export { AgentChatApprovals } from '../approval-panel/approval-panel.component.js';
export { AgentChatResearch } from '../research-panel/research-panel.component.js';
