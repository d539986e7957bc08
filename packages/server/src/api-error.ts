/** One validation problem, with its path in the request body (as in core's `errorBodySchema`). */
export type ApiIssue = {
  path: (string | number)[];
  message: string;
};

/**
 * An error answered to the client as `{ "error": { code, message, issues? } }`
 * with an HTTP status. Everything the handler rejects on purpose throws one;
 * anything else becomes a 500 `internal_error`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ApiIssue[] | undefined;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { issues?: ApiIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}

/** The one answer for a session that does not exist or belongs to someone else (never say which). */
export function sessionNotFound(): ApiError {
  return new ApiError(404, 'session_not_found', 'No such session. Create one with POST /session.');
}
