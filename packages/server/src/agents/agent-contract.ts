/**
 * The agent contract: what an app implements or catches. `@agent-chat/server`
 * exports it, and so do the entries of the model agents (`/anthropic`,
 * `/ai-sdk`), whose signatures use it, so that each entry's API reads on its own.
 */
export {
  AgentError,
  type Agent,
  type AgentAttachmentSupport,
  type AgentContext,
  type AgentHealth,
  type AgentOutput,
  type AgentOutputType,
  type ApprovalOptions,
  type SummarizeContext,
  type WithOptionalMessageId,
} from './agent.js';
export { ModelCallError } from './model-call-error.js';
// The `retry` option of the agents at `/anthropic` and `/ai-sdk`.
export type { RetryOptions } from './retry.js';
export type { Tool, ToolCallResult, ToolContext } from './tool.js';
