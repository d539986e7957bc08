import type { ChatError, ChatErrorCode } from '../chat-error.js';

/**
 * The HTTP status of every error code: the one place where a refusal becomes
 * a status (docs/api.md's error table). The domain throws codes only.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  client_gone: 400,
  unauthorized: 401,
  forbidden: 403,
  cross_origin_forbidden: 403,
  route_not_found: 404,
  session_not_found: 404,
  attachment_not_found: 404,
  attachments_disabled: 404,
  method_not_allowed: 405,
  turn_running: 409,
  no_pending_approval: 409,
  nothing_to_undo: 409,
  interrupted: 409,
  attachment_in_use: 409,
  payload_too_large: 413,
  attachment_too_large: 413,
  unsupported_media_type: 415,
  invalid_body: 422,
  invalid_query: 422,
  invalid_approvals: 422,
  unknown_model: 422,
  too_many_attachments: 422,
  invalid_attachments: 422,
  unsupported_attachment: 422,
  session_limit: 429,
  too_many_streams: 429,
  attachment_quota_exceeded: 429,
  internal_error: 500,
  summarize_failed: 502,
  too_many_sessions: 503,
  shutting_down: 503,
  owner_unreachable: 503,
  session_busy: 503,
} as const satisfies Record<ChatErrorCode, number>;

/** The status answered for `code`; 500 for a code the table does not know (a newer domain than this layer). */
export function errorStatus(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 500;
}

/** Response headers an error carries: `Retry-After` (seconds) for a refusal worth retrying. */
export function errorHeaders(error: ChatError): Record<string, string> {
  return error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {};
}
