import type { ErrorBody } from './api.js';
import { decodeResponse } from './protocol-shapes.js';

/** One validation problem reported by the server: where in the request body, and what is wrong. */
export type ChatApiIssue = NonNullable<ErrorBody['error']['issues']>[number];

/**
 * Codes the client itself produces, for failures that carry no error body from the server.
 * Every other code comes from the server's `{ "error": { "code" } }` answer (docs/api.md).
 */
export const CLIENT_ERROR_CODES = {
  /** The request never got an answer (DNS, refused, reset before the headers). `status` is 0. */
  network: 'network_error',
  /** The server answered with an error status but no JSON error body (a proxy page, say). */
  http: 'http_error',
  /** A successful answer did not have the documented shape (a field missing or of the wrong JSON type), or was not an event stream. */
  invalidResponse: 'invalid_response',
  /** An event stream could not be reopened within `reconnect.maxAttempts` attempts. */
  reconnectFailed: 'reconnect_failed',
  /**
   * The server ended an event stream `reconnect.maxStalledStreams` times in a row (default 5)
   * without sending a new event (an empty 200, or only `ready`): the client stopped reconnecting.
   * `status` is that of the last answer (200).
   */
  streamStalled: 'stream_stalled',
} as const;

export interface ChatApiErrorInit {
  /** HTTP status of the answer; 0 when there was none. */
  status: number;
  code: string;
  message: string;
  issues?: ChatApiIssue[];
  /** From the answer's `Retry-After` header, in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A request to the agent-chat API failed. `code` is stable and meant for
 * programs (`session_not_found`, `turn_running`, `invalid_body`, ... from the
 * server, or one of {@link CLIENT_ERROR_CODES}); `message` is for people.
 */
export class ChatApiError extends Error {
  /** HTTP status of the answer; 0 when the request got none. */
  readonly status: number;
  readonly code: string;
  /** For `invalid_body` and other validation errors: each problem with its path in the body. */
  readonly issues?: ChatApiIssue[];
  /**
   * How long the server asked to wait before trying again (its `Retry-After`
   * header, seconds or an HTTP date, in ms); set on 429 and 503 answers that
   * carry one (`session_limit`, `too_many_sessions`, `owner_unreachable`, ...).
   */
  readonly retryAfterMs?: number;

  constructor(init: ChatApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ChatApiError';
    this.status = init.status;
    this.code = init.code;
    if (init.issues) this.issues = init.issues;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /**
   * Builds the error for a non-2xx answer from its body: the JSON error body
   * when there is one, else `http_error` with the status and the start of the body.
   * Consumes the body.
   */
  static async fromResponse(response: Response): Promise<ChatApiError> {
    const text = await response.text().catch(() => '');
    try {
      const { code, message, issues } = decodeResponse('errorBody', JSON.parse(text)).error;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return new ChatApiError({ status: response.status, code, message, issues, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    } catch {
      // Not JSON, or not our error body (a proxy's page, say): described below by status and text.
    }
    const snippet = text.trim().slice(0, 200);
    return new ChatApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.http,
      message: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${snippet ? `: ${snippet}` : ''}`,
    });
  }
}

/** A `Retry-After` value (RFC 9110: delay in seconds, or an HTTP date) in ms from now; undefined when absent or malformed. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
