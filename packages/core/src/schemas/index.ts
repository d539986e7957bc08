/**
 * `@agent-chat/core/schemas`: the zod schemas of the protocol (events, the
 * conversation view model, the HTTP API's bodies and answers, the error body)
 * and the strict `parseAgentEvent`. For servers, OpenAPI generation and strict
 * validation; the root entry `@agent-chat/core` checks the wire with light
 * tables of the same shapes and loads no zod.
 */
export * from './events.js';
export * from './messages.js';
export * from './api.js';
