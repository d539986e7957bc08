/** One validation problem, with its path in the request body (as in core's `errorBodySchema`). */
export type ErrorIssue = {
  path: (string | number)[];
  message: string;
};

/**
 * Every error code the server answers with (docs/api.md lists them). The HTTP
 * layer gives each its status (`http/error-status.ts`); nothing else does.
 */
export type ChatErrorCode =
  // Requests the HTTP layer refuses before any session is involved.
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_cursor'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'cross_origin_forbidden'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'client_gone'
  | 'internal_error'
  // Sessions and their turns.
  | 'session_not_found'
  | 'turn_running'
  | 'no_pending_approval'
  | 'invalid_approvals'
  | 'nothing_to_undo'
  | 'interrupted'
  | 'unknown_model'
  | 'summarize_failed'
  | 'session_limit'
  | 'too_many_sessions'
  | 'too_many_streams'
  | 'shutting_down'
  // Attachments (docs/attachments.md).
  | 'attachments_disabled'
  | 'attachment_not_found'
  | 'attachment_in_use'
  | 'attachment_too_large'
  | 'too_many_attachments'
  | 'invalid_attachments'
  | 'unsupported_attachment'
  | 'attachment_quota_exceeded'
  // Several processes (Redis).
  | 'owner_unreachable'
  | 'session_busy';

/** Options of {@link ChatError}. */
export interface ChatErrorOptions {
  /** What was wrong, one entry per problem (422s). */
  issues?: ErrorIssue[];
  /** For a refusal worth retrying: when, in seconds (the HTTP layer sends it as `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A refusal the domain (sessions, turns, the cluster) throws on purpose, with
 * a stable `code` and a message that says what to do. It knows nothing of
 * HTTP: the HTTP layer maps `code` to a status, and the cluster forwards it
 * between processes as it is.
 */
export class ChatError extends Error {
  readonly code: ChatErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ChatErrorCode, message: string, options: ChatErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ChatError';
    this.code = code;
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The one answer for a session that does not exist or belongs to someone else (never say which). */
export function sessionNotFound(): ChatError {
  return new ChatError('session_not_found', 'No such session. Create one with POST /session.');
}

/** The answer for approvals while no tool call waits for them. */
export function noPendingApproval(): ChatError {
  return new ChatError('no_pending_approval', 'No tool call is waiting for approval in this session.');
}

/** The answer for a turn, undo, truncate or compact while a turn runs (here or in another process). */
export function turnRunning(message = 'A turn is already running in this session; wait for it to end or interrupt it.'): ChatError {
  return new ChatError('turn_running', message);
}
