/** Error codes of a connection that the client closed or reset (Node's, as errors carry them). */
const GONE_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/**
 * Whether `error` only says that the client went away: the request was
 * aborted (its `signal`), or reading its body failed because the connection
 * closed (`aborted`, `ECONNRESET`, ...). That is an ordinary event for a
 * server, not a failure: worth a debug line at most, never a stack.
 */
export function isClientGone(error: unknown, request?: Request): boolean {
  if (request?.signal.aborted) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  return (typeof code === 'string' && GONE_CODES.has(code)) || name === 'AbortError' || message === 'aborted';
}
