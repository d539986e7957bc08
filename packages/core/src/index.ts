export * from './events.js';
export * from './messages.js';
export * from './api.js';
export * from './sse.js';
export * from './reducer.js';
export * from './usage.js';
export * from './chat-api-error.js';
export * from './chat-client.js';
