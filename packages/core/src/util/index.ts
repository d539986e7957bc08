// `@agent-chat/core/util`: small helpers that core's client and the server
// share, one copy of each (one backoff, one abortable sleep, one retryable-status
// rule, one session-id pattern, one text clip). No schema library, no DOM, no Node
// built-in: they run wherever core runs.
export { backoffDelayMs, type BackoffOptions } from './backoff.js';
export { isRetryableStatus } from './retryable.js';
export { rejectionText } from './rejection-text.js';
export { isSessionId, SESSION_ID_PATTERN } from './session-id.js';
export { sleep } from './sleep.js';
export { clip } from './text.js';
