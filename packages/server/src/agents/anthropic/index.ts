/**
 * `@agent-chat/server/anthropic`: Claude on the Anthropic Messages API. Needs
 * `@anthropic-ai/sdk` (an optional peer dependency: install it beside
 * `@agent-chat/server`); the package's main entry never loads it.
 */
export {
  anthropicAgent,
  ANTHROPIC_MODELS,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_TITLE_MODEL,
  type AnthropicAgentOptions,
} from './agent.js';
export { AnthropicAgentError, type AnthropicAgentErrorCode, type AnthropicClientOptions } from './call.js';
export { ModelCallError } from '../model-call-error.js';
export { toAnthropicMessages } from './history.js';
export { ANTHROPIC_PRICES_USD_PER_MTOK, anthropicCostUsd, findModelPrice, type ModelPrice, type TokenCounts } from './prices.js';
export { DEFAULT_RESEARCH_MODEL, researchTool, type ResearchInput, type ResearchToolOptions } from './research-tool.js';
// The contract types this entry's signatures use (also exported by `@agent-chat/server`), so it reads on its own.
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
} from '../agent.js';
export type { RetryOptions } from '../retry.js';
export type { Tool, ToolCallResult, ToolContext } from '../tool.js';
export type { ToolLogAgent } from '../sub-agent-progress.js';
