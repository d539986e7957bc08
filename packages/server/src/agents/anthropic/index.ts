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
export { toAnthropicMessages } from './history.js';
// The files its history conversion reads, by attachment id.
export type { AttachmentBytes } from '../attachment-content.js';
export { ANTHROPIC_PRICES_USD_PER_MTOK, anthropicCostUsd, findModelPrice, type ModelPrice, type TokenCounts } from './prices.js';
export { DEFAULT_RESEARCH_MODEL, researchTool, type ResearchInput, type ResearchToolOptions } from './research-tool.js';
// The agent contract its signatures use, ModelCallError included (also exported by `@agent-chat/server`).
export * from '../agent-contract.js';
