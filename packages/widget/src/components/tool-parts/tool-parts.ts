/**
 * The parts `<agent-chat>` shows only for tool calls: the code panel, the approvals
 * and the research list, which `<agent-chat>` and `<agent-chat-tool-group>` load on
 * first need (their `lazyDependencies`), and the sessions sidebar, which the prebuilt
 * bundle loads on first need too. One module for the four, so the prebuilt bundle
 * gets one lazy file for them, and one chunk of what they share with it rather
 * than one per combination of parts.
 */
export { AgentChatToolGroup } from '../tool-call-group/tool-call-group.component.js';
export { AgentChatCodePanel } from '../code-panel/code-panel.component.js';
export { AgentChatApprovals } from '../approval-panel/approval-panel.component.js';
export { AgentChatResearch } from '../research-panel/research-panel.component.js';
// Not a tool part, but as rarely needed: in the same file, so the bundle keeps one lazy
// file and one shared chunk (a lazy file of its own made three shared chunks, 1.3 KB more).
export { AgentChatSessions } from '../sessions-sidebar/sessions-sidebar.component.js';
// Not a part: a hint to the bundler. Reached from this file too, `<agent-chat>` and everything
// it imports land in the one chunk the prebuilt bundle shares with this file, instead of half
// in agent-chat.bundle.js and half in that chunk: one file loaded at once compresses better
// than two (0.3 KB min+gzip less). Loading this file runs nothing more.
export { AgentChat } from '../agent-chat/agent-chat.component.js';
