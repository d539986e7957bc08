/**
 * `@agent-chat/server/ai-sdk`: any model of the Vercel AI SDK (OpenAI,
 * OpenAI-compatible and local servers, Google, Mistral, Bedrock...). Needs
 * `ai` v7 (an optional peer dependency: install it and a provider package
 * beside `@agent-chat/server`); the package's main entry never loads it.
 */
export { aiSdkAgent, modelIdOf, type AiSdkAgentOptions } from './agent.js';
export { AiSdkAgentError, type AiSdkAgentErrorCode } from './call.js';
export type { ModelPrice, TokenCounts } from '../model-price.js';
export type { ResearchInput } from '../research-sub-agents.js';
export { toModelMessages } from './history.js';
// The files its history conversion reads, by attachment id.
export type { AttachmentBytes } from '../attachment-content.js';
export { aiSdkCostUsd, OPENAI_PRICES_USD_PER_MTOK } from './prices.js';
export { aiSdkResearchTool, type AiSdkResearchToolOptions } from './research-tool.js';
export { stopReasonOf } from './stream-events.js';
// The agent contract its signatures use, ModelCallError included (also exported by `@agent-chat/server`).
export * from '../agent-contract.js';
