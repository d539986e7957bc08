/**
 * `@agent-chat/server`: the chat server, the contracts an app implements
 * (an agent, its tools, a store) and the agent that ships without a model.
 *
 * The rest is on subpaths: runtime adapters (`/node`, `/express`, `/hono`,
 * `/fastify`), stores that need a driver (`/sqlite`, `/redis`), agents on a
 * model SDK (`/anthropic`, `/ai-sdk`: this entry loads none of them) and the
 * building blocks of tools and agent loops (`/tools`). docs/exports.md lists
 * every export of every entry point.
 */

// The server.
export { createChatServer, type ChatServer, type ChatServerOptions, type ChatUser } from './http/chat-server.js';
export { CorsConfigError, type CorsOptions } from './http/cors.js';
export type { CompactionOptions } from './sessions/session-runner.js';

// Agents and tools: what an app implements (agents/agent-contract.ts: Agent, AgentContext, AgentError, ModelCallError, Tool...).
export * from './agents/agent-contract.js';
export type { ModelInfo } from './agents/agent.js';
export { defineTool } from './agents/tool.js';

// Stores: the memory store, and the contract a session store and an attachment store implement (`/sqlite` and `/redis` are two).
export { memoryStore, type MemoryStoreOptions } from './stores/memory-store.js';
export type * from './stores/store-contract.js';
// Attachments: the options and where the bytes go.
export { DEFAULT_ATTACHMENT_MEDIA_TYPES, type AttachmentOptions } from './attachments/attachment-options.js';
export { memoryAttachmentStore } from './stores/memory-attachment-store.js';
export { fileAttachmentStore, type FileAttachmentStoreOptions } from './stores/file-attachment-store.js';
export { EventLogGapError, MemoryEventLog, type EventListener, type EventLog, type MemoryEventLogOptions } from './sessions/event-log.js';

// The offline agent and its sandboxed tools (what `npm start` runs without an API key).
export { demoAgent, type DemoAgentOptions } from './agents/demo/demo-agent.js';
export { demoTools, type DemoToolsOptions } from './agents/demo/demo-tools.js';
