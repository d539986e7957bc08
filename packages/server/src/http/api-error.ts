import { ChatError, type ChatErrorCode, type ErrorIssue } from '../chat-error.js';

/** One validation problem, with its path in the request body (as in core's `errorBodySchema`). */
export type ApiIssue = ErrorIssue;

/**
 * A {@link ChatError} raised by the HTTP layer itself (a body it cannot read,
 * a route or method it does not serve), with extra response headers such as
 * `Allow` on a 405. Its status is the one `http/error-status.ts` gives its
 * code (`status` repeats it for callers that read it); below the HTTP layer
 * throw a `ChatError`.
 */
export class ApiError extends ChatError {
  readonly status: number;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ChatErrorCode,
    message: string,
    options: { issues?: ApiIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(code, message, options.issues ? { issues: options.issues } : {});
    this.name = 'ApiError';
    this.status = status;
    this.headers = options.headers ?? {};
  }
}
