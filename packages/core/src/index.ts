// `@agent-chat/core`: no zod at runtime (types only). The zod schemas live in
// `@agent-chat/core/schemas` (schemas/index.ts).
export * from './events.js';
export * from './messages.js';
export * from './api.js';
export * from './sse.js';
export * from './reducer.js';
export * from './usage.js';
export * from './chat-api-error.js';
export * from './chat-client.js';
export * from './chat-session.js';
export { createFrameScheduler, type FrameScheduler } from './frame-scheduler.js';
export { ProtocolError } from './protocol-error.js';
export { decodeAgentEvent } from './protocol-shapes.js';
