/**
 * `@agent-chat/server/tools`: building blocks for tools and for agent loops of
 * your own (docs/agents.md): the shared tool loop every agent of this package
 * runs, one tool call on its own, sub-agent progress reports, and file access
 * confined to a sandbox folder.
 */
export { runTools, type StepToolCall, type ToolCallOutcome, type ToolLoopContext, type ToolLoopEvent } from './agents/tool-loop.js';
export { runToolCall, toolInputJsonSchema, toolNeedsApproval, type Tool, type ToolCallResult, type ToolContext } from './agents/tool.js';
export { SubAgentProgress, type ToolLogAgent } from './agents/sub-agent-progress.js';
// The turn's context, whose session, signal and approval request the tool loop takes.
export type { AgentContext, ApprovalOptions } from './agents/agent.js';
export {
  SandboxPathError,
  listSandboxFolder,
  readSandboxFile,
  resolveSandboxPath,
  writeSandboxFile,
  type SandboxEntry,
} from './agents/sandbox-path.js';
export { ensureDemoSandbox } from './agents/demo/demo-sandbox.js';
